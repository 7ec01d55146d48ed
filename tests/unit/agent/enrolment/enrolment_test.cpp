#include "agent/enrolment/enrolment.hpp"

#include "tests/support/temp_dir.hpp"

#include <Poco/Net/SSLManager.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::enrolment {
namespace {

using Kind = EnrolmentError::Kind;

const std::string kFingerprint(64, 'b');

EnrolArguments valid() {
  EnrolArguments arguments;
  arguments.server = "https://club-server:8443";
  arguments.token = "token-from-the-console";
  arguments.fingerprint = kFingerprint;
  return arguments;
}

// The kind of error validateEnrolArguments throws, and that its message keeps the token out.
Kind rejection(const EnrolArguments& arguments) {
  try {
    (void)validateEnrolArguments(arguments);
  } catch (const EnrolmentError& error) {
    EXPECT_EQ(std::string(error.what()).find("token-from-the-console"), std::string::npos);
    return error.kind();
  }
  ADD_FAILURE() << "accepted the arguments";
  return Kind::Unexpected;
}

TEST(EnrolArgumentsTest, ACompleteCommandIsAcceptedAndNormalised) {
  auto arguments = valid();
  arguments.fingerprint = "SHA256:" + std::string(64, 'B');
  const auto checked = validateEnrolArguments(arguments);
  EXPECT_EQ(checked.fingerprint, kFingerprint);
  EXPECT_FALSE(checked.name.empty());  // the host name
  arguments.name = "Laptop 3";
  EXPECT_EQ(validateEnrolArguments(arguments).name, "Laptop 3");
}

TEST(EnrolArgumentsTest, ARelativeCaFileIsMadeAbsoluteForTheDaemon) {
  clubsafe::testing::TempDir dir;
  std::ofstream(dir.file("ca.pem")) << "placeholder";
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto arguments = valid();
  arguments.fingerprint.clear();
  arguments.caFile = "ca.pem";
  const auto checked = validateEnrolArguments(arguments);
  const auto expected = (std::filesystem::current_path() / "ca.pem").string();
  std::filesystem::current_path(previous);
  EXPECT_EQ(checked.caFile, expected);
}

TEST(EnrolArgumentsTest, MissingOrWrongPartsAreRefusedBeforeAnythingIsSent) {
  auto noServer = valid();
  noServer.server.clear();
  EXPECT_EQ(rejection(noServer), Kind::BadArguments);

  for (const std::string server : {"http://club-server:8443", "club-server", "https://",
                                   "https://club-server/?x=1"}) {
    auto arguments = valid();
    arguments.server = server;
    EXPECT_EQ(rejection(arguments), Kind::BadArguments) << server;
  }

  auto noToken = valid();
  noToken.token.clear();
  EXPECT_EQ(rejection(noToken), Kind::BadArguments);

  auto noTrust = valid();
  noTrust.fingerprint.clear();
  EXPECT_EQ(rejection(noTrust), Kind::BadArguments);

  auto bothTrusts = valid();
  bothTrusts.caFile = "/etc/ssl/certs/ca-certificates.crt";
  EXPECT_EQ(rejection(bothTrusts), Kind::BadArguments);

  auto shortFingerprint = valid();
  shortFingerprint.fingerprint = "abcd";
  EXPECT_EQ(rejection(shortFingerprint), Kind::BadArguments);

  auto missingCaFile = valid();
  missingCaFile.fingerprint.clear();
  missingCaFile.caFile = "/nonexistent/ca.pem";
  EXPECT_EQ(rejection(missingCaFile), Kind::BadArguments);
}

class EnrolTest : public ::testing::Test {
 protected:
  EnrolTest() { Poco::Net::initializeSSL(); }
  ~EnrolTest() override { Poco::Net::uninitializeSSL(); }

  clubsafe::testing::TempDir dir_;
};

TEST_F(EnrolTest, AnEnrolledLaptopIsNotEnrolledAgainWithoutForce) {
  Credentials existing;
  existing.serverUrl = "https://old-server:8443";
  existing.deviceId = "dev_old";
  existing.deviceSecret = "secret";
  existing.fingerprint = kFingerprint;
  writeCredentials(credentialsPath(dir_.path().string()), existing);
  try {
    (void)enrol(valid(), dir_.path().string(), std::chrono::seconds(2));
    FAIL() << "enrolled again";
  } catch (const EnrolmentError& error) {
    EXPECT_EQ(error.kind(), Kind::AlreadyEnrolled);
    const std::string message = error.what();
    EXPECT_NE(message.find("dev_old"), std::string::npos) << message;
    EXPECT_NE(message.find("--force"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
}

TEST_F(EnrolTest, AnUnreachableCollectorIsReportedAsSuchAndNothingIsSaved) {
  std::uint16_t port = 0;
  {
    // A port that was free a moment ago: nothing listens there now.
    const Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = probe.address().port();
  }
  auto arguments = valid();
  arguments.server = "https://127.0.0.1:" + std::to_string(port);
  arguments.name = "Laptop 3";
  try {
    (void)enrol(arguments, dir_.path().string(), std::chrono::seconds(2));
    FAIL() << "enrolled without a collector";
  } catch (const EnrolmentError& error) {
    EXPECT_EQ(error.kind(), Kind::Unreachable) << error.what();
    EXPECT_NE(std::string(error.what()).find(arguments.server), std::string::npos);
    EXPECT_EQ(std::string(error.what()).find(arguments.token), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(credentialsPath(dir_.path().string())));
}

}  // namespace
}  // namespace clubsafe::agent::enrolment
