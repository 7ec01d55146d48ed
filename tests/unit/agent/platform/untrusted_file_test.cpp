// What a young person can leave in their home folder for the root agent to read.
#include "agent/platform/untrusted_file.hpp"

#include "tests/support/temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::platform {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kNobody = 65534;

class UntrustedFileTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  testing::TempDir dir_;
};

TEST_F(UntrustedFileTest, APlainFileIsReadWhole) {
  const auto path = write("entry", "[Desktop Entry]\nName=Game\n");
  EXPECT_EQ(readUntrustedFile(path, 1024, std::nullopt), "[Desktop Entry]\nName=Game\n");
  EXPECT_EQ(readUntrustedFile(write("empty", ""), 1024, std::nullopt), "");
}

TEST_F(UntrustedFileTest, ALinkIsNotFollowedNotEvenToDevZero) {
  const auto target = write("real", "cookie");
  fs::create_symlink(target, dir_.path() / "link");
  fs::create_symlink("/dev/zero", dir_.path() / "zero");
  EXPECT_EQ(readUntrustedFile(dir_.path() / "link", 1024, std::nullopt), std::nullopt);
  EXPECT_EQ(readUntrustedFile(dir_.path() / "zero", 1024, std::nullopt), std::nullopt);
}

// Opening a pipe with no writer used to wait for ever; this returns at once.
TEST_F(UntrustedFileTest, APipeADeviceAndAFolderAreRefused) {
  const auto fifo = dir_.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(readUntrustedFile(fifo, 1024, std::nullopt), std::nullopt);
  EXPECT_EQ(readUntrustedFile("/dev/zero", 1024, std::nullopt), std::nullopt);
  EXPECT_EQ(readUntrustedFile(dir_.path(), 1024, std::nullopt), std::nullopt);
  EXPECT_EQ(readUntrustedFile(dir_.path() / "missing", 1024, std::nullopt), std::nullopt);
}

TEST_F(UntrustedFileTest, AFileLargerThanTheCapIsRefused) {
  const auto path = write("big", std::string(1025, 'x'));
  EXPECT_EQ(readUntrustedFile(path, 1024, std::nullopt), std::nullopt);
  EXPECT_EQ(readUntrustedFile(path, 1025, std::nullopt)->size(), 1025U);
}

TEST_F(UntrustedFileTest, AnotherAccountsFileIsRefusedWhenAnOwnerIsGiven) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing a file's owner needs root";
  const auto path = write("theirs", "cookie");
  ASSERT_EQ(::chown(path.c_str(), kNobody, kNobody), 0);
  EXPECT_EQ(readUntrustedFile(path, 1024, kNobody), "cookie");
  EXPECT_EQ(readUntrustedFile(path, 1024, kNobody - 1), std::nullopt);
  EXPECT_EQ(readUntrustedFile(path, 1024, std::nullopt), "cookie");
  // root's own files (a display manager's) are trusted for any owner.
  EXPECT_EQ(readUntrustedFile(write("roots", "cookie"), 1024, kNobody), "cookie");
}

}  // namespace
}  // namespace clubsafe::agent::platform
