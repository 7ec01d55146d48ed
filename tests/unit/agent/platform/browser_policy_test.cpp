#include "agent/platform/browser_policy.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

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

using Wake = PolicyChangeWaiter::Wake;
using namespace std::chrono_literals;

TEST(PolicyChangeWaiterTest, QuietFoldersTimeOut) {
  const clubsafe::testing::TempDir root;
  const auto files = browserPolicyFiles(root.path().string());
  std::filesystem::create_directories(std::filesystem::path(files[0].path).parent_path());
  PolicyChangeWaiter waiter(files);
  EXPECT_EQ(waiter.wait(100ms), Wake::Timeout);
}

TEST(PolicyChangeWaiterTest, ARemovedFileWakesItAndAFolderMadeLaterIsWatched) {
  const clubsafe::testing::TempDir root;
  const auto files = browserPolicyFiles(root.path().string());
  const std::filesystem::path chromium(files[0].path);
  std::filesystem::create_directories(chromium.parent_path());
  std::ofstream(chromium) << "{}";
  PolicyChangeWaiter waiter(files);
  EXPECT_EQ(waiter.wait(50ms), Wake::Timeout);  // watches from here

  std::thread remover([&] {
    std::this_thread::sleep_for(100ms);
    std::filesystem::remove(chromium);
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(waiter.wait(10s), Wake::Changed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  remover.join();

  // Firefox's folder did not exist when the waiter was made.
  const std::filesystem::path firefox(files[2].path);
  std::filesystem::create_directories(firefox.parent_path());
  EXPECT_EQ(waiter.wait(50ms), Wake::Timeout);
  std::thread writer([&] {
    std::this_thread::sleep_for(100ms);
    std::ofstream(firefox) << "{}";
  });
  EXPECT_EQ(waiter.wait(10s), Wake::Changed);
  writer.join();
}

TEST(PolicyChangeWaiterTest, StopWakesAWaitAndEveryLaterOne) {
  const clubsafe::testing::TempDir root;
  PolicyChangeWaiter waiter(browserPolicyFiles(root.path().string()));
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    waiter.stop();
  });
  EXPECT_EQ(waiter.wait(10s), Wake::Stopped);
  stopper.join();
  EXPECT_EQ(waiter.wait(10s), Wake::Stopped);
}

}  // namespace
}  // namespace clubsafe::agent::platform
