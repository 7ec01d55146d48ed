#include "agent/enrolment/credentials.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

namespace clubsafe::agent::enrolment {
namespace {

Credentials sample() {
  Credentials credentials;
  credentials.serverUrl = "https://club-server:8443";
  credentials.deviceId = "dev_123";
  credentials.deviceSecret = "s3cret";
  credentials.fingerprint = std::string(64, 'a');
  return credentials;
}

mode_t permissions(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

// Sets a umask for the test and puts the old one back.
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t old_;
};

TEST(CredentialsTest, AreWrittenOwnerOnlyWhateverTheUmaskAndReadBack) {
  clubsafe::testing::TempDir dir;
  const auto path = credentialsPath(dir.path().string());
  const Umask open(0);
  writeCredentials(path, sample());
  EXPECT_EQ(permissions(path), 0600u);

  const auto read = readCredentials(path);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->serverUrl, "https://club-server:8443");
  EXPECT_EQ(read->deviceId, "dev_123");
  EXPECT_EQ(read->deviceSecret, "s3cret");
  EXPECT_EQ(read->trust().fingerprint, std::string(64, 'a'));
  EXPECT_TRUE(read->trust().caFile.empty());
}

TEST(CredentialsTest, ReplacingThemLeavesNoTemporaryFileBehind) {
  clubsafe::testing::TempDir dir;
  const auto path = credentialsPath(dir.path().string());
  writeCredentials(path, sample());
  auto second = sample();
  second.deviceId = "dev_456";
  second.fingerprint.clear();
  second.caFile = "/etc/clubsafe/ca.pem";
  writeCredentials(path, second);
  EXPECT_EQ(readCredentials(path)->deviceId, "dev_456");
  EXPECT_EQ(readCredentials(path)->caFile, "/etc/clubsafe/ca.pem");
  EXPECT_EQ(permissions(path), 0600u);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
}

TEST(CredentialsTest, AMissingFileMeansNotEnrolled) {
  clubsafe::testing::TempDir dir;
  EXPECT_FALSE(readCredentials(credentialsPath(dir.path().string())).has_value());
}

TEST(CredentialsTest, ADamagedFileSaysToEnrolAgain) {
  clubsafe::testing::TempDir dir;
  const auto path = credentialsPath(dir.path().string());
  for (const std::string content : {"not json", R"({"server_url": "https://x"})",
                                    R"({"server_url": "https://x", "device_id": "d",
                                        "device_secret": "s"})"}) {
    std::ofstream(path) << content;
    try {
      (void)readCredentials(path);
      ADD_FAILURE() << "accepted " << content;
    } catch (const CredentialsError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find("enrol --force"), std::string::npos) << message;
    }
  }
}

}  // namespace
}  // namespace clubsafe::agent::enrolment
