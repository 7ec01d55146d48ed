#include "agent/platform/browser_policy.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace clubsafe::agent::platform {
namespace {

bool lists(const std::vector<BrowserPolicyFile>& files, const std::filesystem::path& path) {
  return std::any_of(files.begin(), files.end(),
                     [&](const BrowserPolicyFile& file) { return file.path == path.string(); });
}

TEST(BrowserPolicyFilesTest, ChromiumChromeAndSystemFirefoxAreAlwaysUnderTheRoot) {
  const clubsafe::testing::TempDir root;
  const auto files = browserPolicyFiles(root.path().string());
  ASSERT_EQ(files.size(), 3u);
  EXPECT_TRUE(lists(files, root.path() / "etc/chromium/policies/managed/clubsafe.json"));
  EXPECT_TRUE(lists(files, root.path() / "etc/opt/chrome/policies/managed/clubsafe.json"));
  EXPECT_TRUE(lists(files, root.path() / "etc/firefox/policies/policies.json"));
  EXPECT_EQ(files[0].format, PolicyFormat::Chromium);
  EXPECT_EQ(files[2].format, PolicyFormat::Firefox);
}

TEST(BrowserPolicyFilesTest, InstalledFirefoxesGetTheirDistributionFiles) {
  const clubsafe::testing::TempDir root;
  std::filesystem::create_directories(root.path() / "usr/lib/firefox-esr");
  std::filesystem::create_directories(root.path() / "usr/lib/firefox");
  const auto files = browserPolicyFiles(root.path().string());
  EXPECT_EQ(files.size(), 6u);
  EXPECT_TRUE(lists(files, root.path() / "usr/lib/firefox-esr/distribution/policies.json"));
  EXPECT_TRUE(lists(files, root.path() / "etc/firefox-esr/policies/policies.json"));
  EXPECT_TRUE(lists(files, root.path() / "usr/lib/firefox/distribution/policies.json"));
  for (const auto& file : files) {
    if (file.path.find("firefox") != std::string::npos) {
      EXPECT_EQ(file.format, PolicyFormat::Firefox) << file.path;
    }
  }
}

}  // namespace
}  // namespace clubsafe::agent::platform
