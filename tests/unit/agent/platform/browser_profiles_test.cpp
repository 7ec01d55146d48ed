#include "agent/platform/browser_profiles.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/types.h>
#include <unistd.h>

#include <fstream>

namespace clubsafe::agent::platform {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& path) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "x";
}

TEST(BrowserProfilesTest, FindsEveryFirefoxChromiumAndChromeProfileOfEachHome) {
  const clubsafe::testing::TempDir dir;
  const auto alice = dir.path() / "alice";
  const auto root = dir.path() / "root";
  touch(alice / ".mozilla/firefox/abcd.default-esr/places.sqlite");
  touch(alice / ".config/chromium/Default/History");
  touch(alice / ".config/chromium/Profile 1/History");
  touch(alice / ".config/chromium/Profile 2/Preferences");  // no history yet
  touch(alice / ".config/google-chrome/Default/History");
  touch(root / "snap/firefox/common/.mozilla/firefox/x.default/places.sqlite");
  fs::create_directories(dir.path() / "empty");

  const std::vector<UserHome> homes{{"alice", alice},
                                    {"root", root},
                                    {"carol", dir.path() / "empty"},
                                    {"dan", dir.path() / "none"}};
  const auto profiles = findBrowserProfiles(homes);
  const auto me = ::getuid();  // the test made every folder: each file is to be read as mine
  const std::vector<BrowserProfile> expected{
      {Browser::Chromium, "alice", alice / ".config/chromium/Default/History", me},
      {Browser::Chromium, "alice", alice / ".config/chromium/Profile 1/History", me},
      {Browser::Chrome, "alice", alice / ".config/google-chrome/Default/History", me},
      {Browser::Firefox, "alice", alice / ".mozilla/firefox/abcd.default-esr/places.sqlite", me},
      {Browser::Firefox, "root",
       root / "snap/firefox/common/.mozilla/firefox/x.default/places.sqlite", me},
  };
  EXPECT_EQ(profiles, expected);
}

// A young person who links a profile folder to another account's must not get that person's
// visits and alerts filed under their own name.
TEST(BrowserProfilesTest, AProfileLinkedToAnotherAccountsIsLeftOut) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing a file's owner needs root";
  constexpr uid_t kNobody = 65534;
  const clubsafe::testing::TempDir dir;
  const auto child = dir.path() / "child";
  const auto other = dir.path() / "other";
  touch(child / ".config/chromium/Default/History");
  touch(other / ".config/chromium/Default/History");
  ASSERT_EQ(::chown((other / ".config/chromium/Default/History").c_str(), kNobody, kNobody), 0);
  fs::create_symlink(other / ".config/chromium/Default", child / ".config/chromium/Profile 1");

  const std::vector<UserHome> homes{{"child", child}};
  const std::vector<BrowserProfile> expected{
      {Browser::Chromium, "child", child / ".config/chromium/Default/History", ::geteuid()}};
  EXPECT_EQ(findBrowserProfiles(homes), expected);
}

TEST(BrowserProfilesTest, LocalHomesIncludeRootAndAreNamedAfterTheirOwners) {
  const auto homes = localUserHomes();
  for (const auto& home : homes) {
    EXPECT_TRUE(fs::is_directory(home.home)) << home.home;
    EXPECT_FALSE(home.user.empty());
  }
  if (fs::is_directory("/root")) {
    ASSERT_FALSE(homes.empty());
    EXPECT_EQ(homes.front().user, "root");
    EXPECT_EQ(homes.front().home, "/root");
  }
}

TEST(BrowserProfilesTest, BrowsersHaveTheirEventNames) {
  EXPECT_EQ(browserName(Browser::Firefox), "firefox");
  EXPECT_EQ(browserName(Browser::Chromium), "chromium");
  EXPECT_EQ(browserName(Browser::Chrome), "chrome");
}

}  // namespace
}  // namespace clubsafe::agent::platform
