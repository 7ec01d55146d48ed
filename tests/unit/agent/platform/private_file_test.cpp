#include "agent/platform/private_file.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::platform {
namespace {

mode_t permissions(const std::string& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 07777;
}

TEST(SystemFileTest, IsWrittenReadableByEveryoneWithItsDirectories) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.file("etc/deep/policy.json");
  const auto oldMask = ::umask(077);  // a strict umask must not narrow what others need to read
  writeSystemFile(path, "{}\n");
  ::umask(oldMask);
  EXPECT_EQ(permissions(path), 0644u);
  EXPECT_EQ(permissions(dir.file("etc")), 0755u);
  EXPECT_EQ(permissions(dir.file("etc/deep")), 0755u);
  EXPECT_EQ(readFileIfExists(path), "{}\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(SystemFileTest, ReplacesAnExistingFileWhole) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.file("resolv.conf");
  std::ofstream(path) << "nameserver 192.0.2.1\nnameserver 192.0.2.2\n";
  writeSystemFile(path, "nameserver 127.0.0.1\n");
  EXPECT_EQ(readFileIfExists(path), "nameserver 127.0.0.1\n");
}

TEST(SystemFileTest, ANameUnderAFileIsRefusedNamingIt) {
  const clubsafe::testing::TempDir dir;
  std::ofstream(dir.file("plain")) << "x";
  try {
    writeSystemFile(dir.file("plain/policy.json"), "{}");
    FAIL() << "expected FileError";
  } catch (const FileError& error) {
    EXPECT_NE(std::string(error.what()).find(dir.file("plain")), std::string::npos) << error.what();
  }
}

TEST(ReadFileIfExistsTest, AMissingFileIsNoneAndADirectoryIsAnError) {
  const clubsafe::testing::TempDir dir;
  EXPECT_EQ(readFileIfExists(dir.file("missing")), std::nullopt);
  EXPECT_THROW((void)readFileIfExists(dir.path().string()), FileError);
}

}  // namespace
}  // namespace clubsafe::agent::platform
