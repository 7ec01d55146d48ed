#include "agent/history/history_snapshot.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/history/history_files.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace clubsafe::agent::history {
namespace {

namespace fs = std::filesystem;
using platform::Browser;
using testing::HistoryFile;

HistoryError::Kind kindOfSnapshot(const fs::path& path,
                                  std::optional<std::uint32_t> owner = std::nullopt) {
  try {
    const HistorySnapshot snapshot(path, owner);
  } catch (const HistoryError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "the copy of " << path << " was made";
  return HistoryError::Kind::Missing;
}

TEST(HistorySnapshotTest, CopiesTheDatabaseWithItsWalIntoAPrivateFolderRemovedAfterwards) {
  const clubsafe::testing::TempDir dir;
  const auto original = dir.path() / "places.sqlite";
  HistoryFile file(original, Browser::Firefox);
  (void)file.add("http://example.org/", "Example", 1'000'000);
  ASSERT_TRUE(fs::exists(original.string() + "-wal"));

  fs::path folder;
  {
    const HistorySnapshot snapshot(original);
    folder = snapshot.path().parent_path();
    EXPECT_NE(folder, dir.path());
    EXPECT_TRUE(fs::exists(snapshot.path()));
    EXPECT_EQ(fs::file_size(snapshot.path().string() + "-wal"),
              fs::file_size(original.string() + "-wal"));
    EXPECT_EQ(fs::status(folder).permissions() & fs::perms::all, fs::perms::owner_all);
    EXPECT_EQ(snapshot.fingerprint(), fingerprintOf(original));
  }
  EXPECT_FALSE(fs::exists(folder));
}

TEST(HistorySnapshotTest, TheFingerprintChangesWhenTheBrowserWrites) {
  const clubsafe::testing::TempDir dir;
  const auto original = dir.path() / "History";
  HistoryFile file(original, Browser::Chromium);
  const auto before = fingerprintOf(original);
  EXPECT_EQ(before, fingerprintOf(original));
  (void)file.add("http://example.org/", "Example", 1'000'000);
  EXPECT_NE(before, fingerprintOf(original));
}

TEST(HistorySnapshotTest, MissingEmptyAndOddFilesAreRefusedWithTheirReason) {
  const clubsafe::testing::TempDir dir;
  EXPECT_EQ(kindOfSnapshot(dir.path() / "History"), HistoryError::Kind::Missing);

  std::ofstream(dir.file("empty")).close();
  EXPECT_EQ(kindOfSnapshot(dir.path() / "empty"), HistoryError::Kind::Empty);

  // A person's profile folder must not make the root agent read other files.
  std::ofstream(dir.file("secret")) << "not theirs";
  fs::create_symlink(dir.path() / "secret", dir.path() / "link");
  EXPECT_EQ(kindOfSnapshot(dir.path() / "link"), HistoryError::Kind::Unreadable);

  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  EXPECT_EQ(kindOfSnapshot(dir.path() / "fifo"), HistoryError::Kind::Unreadable);
}

TEST(HistorySnapshotTest, AFileNoLongerTheAccountsIsRefused) {
  const clubsafe::testing::TempDir dir;
  const auto original = dir.path() / "places.sqlite";
  HistoryFile file(original, Browser::Firefox);
  (void)file.add("http://example.org/", "Example", 1'000'000);
  EXPECT_NO_THROW(HistorySnapshot(original, ::getuid()));
  // Swapped after the profile was found: the file now belongs to someone else.
  EXPECT_EQ(kindOfSnapshot(original, ::getuid() + 1), HistoryError::Kind::Unreadable);
}

}  // namespace
}  // namespace clubsafe::agent::history
