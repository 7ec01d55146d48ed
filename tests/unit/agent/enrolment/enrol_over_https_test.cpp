#include "agent/enrolment/enrolment.hpp"

#include "tests/unit/agent/https_test_server.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/SSLManager.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace clubsafe::agent::enrolment {
namespace {

using Kind = EnrolmentError::Kind;

class EnrolOverHttpsTest : public ::testing::Test {
 protected:
  EnrolOverHttpsTest() { Poco::Net::initializeSSL(); }
  ~EnrolOverHttpsTest() override { Poco::Net::uninitializeSSL(); }

  EnrolArguments arguments() const {
    EnrolArguments arguments;
    arguments.server = server_.url();
    arguments.token = "one-time-token";
    arguments.fingerprint = server_.fingerprint();
    arguments.name = "Laptop 3";
    return validateEnrolArguments(arguments);
  }

  Kind failure(const EnrolArguments& arguments, std::string* message = nullptr) {
    try {
      (void)enrol(arguments, state_.path().string(), std::chrono::seconds(5));
    } catch (const EnrolmentError& error) {
      if (message != nullptr) *message = error.what();
      EXPECT_EQ(std::string(error.what()).find(arguments.token), std::string::npos);
      return error.kind();
    }
    ADD_FAILURE() << "enrolled";
    return Kind::Unexpected;
  }

  testing::HttpsTestServer server_;
  clubsafe::testing::TempDir state_;
};

TEST_F(EnrolOverHttpsTest, APinnedCollectorEnrolsTheLaptopAndTheCredentialIsSavedOwnerOnly) {
  server_.answer("/api/device/v1/enrol", {201, R"({"device_id": "dev_7", "device_secret": "s"})"});
  const auto credentials = enrol(arguments(), state_.path().string(), std::chrono::seconds(5));
  EXPECT_EQ(credentials.deviceId, "dev_7");

  const auto requests = server_.received();
  ASSERT_EQ(requests.size(), 1u);
  const auto body =
      Poco::JSON::Parser().parse(requests[0].body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(body->getValue<std::string>("token"), "one-time-token");
  EXPECT_EQ(body->getValue<std::string>("name"), "Laptop 3");
  EXPECT_FALSE(body->getValue<std::string>("hostname").empty());
  EXPECT_FALSE(body->getValue<std::string>("os").empty());
  EXPECT_EQ(body->getValue<std::string>("agent_version"), CLUBSAFE_VERSION);

  const auto saved = readCredentials(credentialsPath(state_.path().string()));
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->deviceSecret, "s");
  EXPECT_EQ(saved->fingerprint, server_.fingerprint());
  struct stat info {};
  ASSERT_EQ(::stat(credentialsPath(state_.path().string()).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(EnrolOverHttpsTest, AnotherCertificateThanThePinnedOneIsRefusedBeforeTheTokenIsSent) {
  server_.answer("/api/device/v1/enrol", {201, R"({"device_id": "dev_7", "device_secret": "s"})"});
  auto wrongPin = arguments();
  wrongPin.fingerprint = std::string(64, 'e');
  std::string message;
  EXPECT_EQ(failure(wrongPin, &message), Kind::Untrusted);
  EXPECT_NE(message.find("does not match the fingerprint you gave"), std::string::npos) << message;
  EXPECT_TRUE(server_.received().empty());
  EXPECT_FALSE(readCredentials(credentialsPath(state_.path().string())).has_value());
}

TEST_F(EnrolOverHttpsTest, TheCollectorsOwnCertificateAsCaFileIsTrusted) {
  server_.answer("/api/device/v1/enrol", {201, R"({"device_id": "dev_8", "device_secret": "s"})"});
  auto viaCa = arguments();
  viaCa.fingerprint.clear();
  viaCa.caFile = server_.certificateFile();
  viaCa.server = "https://localhost:" + server_.url().substr(server_.url().rfind(':') + 1);
  EXPECT_EQ(enrol(viaCa, state_.path().string(), std::chrono::seconds(5)).deviceId, "dev_8");
}

TEST_F(EnrolOverHttpsTest, ARefusedTokenSaysToMakeANewOne) {
  server_.answer("/api/device/v1/enrol", {401, R"({"error": "token expired"})"});
  std::string message;
  EXPECT_EQ(failure(arguments(), &message), Kind::Refused);
  EXPECT_NE(message.find("Make a new one"), std::string::npos) << message;
  EXPECT_FALSE(readCredentials(credentialsPath(state_.path().string())).has_value());
}

TEST_F(EnrolOverHttpsTest, AnAnswerWithoutACredentialIsAnError) {
  server_.answer("/api/device/v1/enrol", {201, R"({"device_id": "dev_7"})"});
  EXPECT_EQ(failure(arguments()), Kind::Unexpected);
}

}  // namespace
}  // namespace clubsafe::agent::enrolment
