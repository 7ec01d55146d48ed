#include "agent/protection/browser_policies.hpp"

#include "agent/outbox/outbox.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace clubsafe::agent::protection {
namespace {

using dns::SafeSearchLevel;
using platform::BrowserPolicyFile;
using platform::PolicyFormat;

constexpr std::chrono::seconds kInterval{30};

Poco::JSON::Object::Ptr readJson(const std::string& path) {
  const auto text = platform::readFileIfExists(path);
  EXPECT_TRUE(text.has_value()) << path;
  return Poco::JSON::Parser().parse(text.value_or("{}")).extract<Poco::JSON::Object::Ptr>();
}

void writeText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

class BrowserPolicyGuardTest : public ::testing::Test {
 protected:
  [[nodiscard]] std::string chromium() const {
    return (root_.path() / "etc/chromium/policies/managed/clubsafe.json").string();
  }
  [[nodiscard]] std::string chrome() const {
    return (root_.path() / "etc/opt/chrome/policies/managed/clubsafe.json").string();
  }
  [[nodiscard]] std::string firefox() const {
    return (root_.path() / "etc/firefox/policies/policies.json").string();
  }
  [[nodiscard]] BrowserPolicyGuard guard(SafeSearchLevel level = SafeSearchLevel::Strict) const {
    return {platform::browserPolicyFiles(root_.path().string()), level, kInterval};
  }

  clubsafe::testing::TempDir root_;
};

TEST_F(BrowserPolicyGuardTest, InstallWritesEveryBrowsersPoliciesReadableByAll) {
  auto policies = guard();
  EXPECT_EQ(policies.install(), 3u);

  for (const auto& path : {chromium(), chrome()}) {
    const auto json = readJson(path);
    EXPECT_EQ(json->getValue<std::string>("DnsOverHttpsMode"), "off");
    EXPECT_FALSE(json->getValue<bool>("BuiltInDnsClientEnabled"));
    EXPECT_EQ(json->getValue<int>("IncognitoModeAvailability"), 1);
    EXPECT_FALSE(json->getValue<bool>("BrowserGuestModeEnabled"));
    EXPECT_TRUE(json->getValue<bool>("ForceGoogleSafeSearch"));
    EXPECT_EQ(json->getValue<int>("ForceYouTubeRestrict"), 2);
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0644u);
  }
  const auto firefoxPolicies = readJson(firefox())->getObject("policies");
  ASSERT_FALSE(firefoxPolicies.isNull());
  const auto doh = firefoxPolicies->getObject("DNSOverHTTPS");
  ASSERT_FALSE(doh.isNull());
  EXPECT_FALSE(doh->getValue<bool>("Enabled"));
  EXPECT_TRUE(doh->getValue<bool>("Locked"));
  EXPECT_TRUE(firefoxPolicies->getValue<bool>("DisablePrivateBrowsing"));
  EXPECT_EQ(firefoxPolicies->getValue<int>("PrivateBrowsingModeAvailability"), 1);
  EXPECT_EQ(firefoxPolicies->getObject("Proxy")->getValue<std::string>("Mode"), "none");
  EXPECT_TRUE(firefoxPolicies->getObject("Proxy")->getValue<bool>("Locked"));
  EXPECT_EQ(firefoxPolicies->getObject("ExtensionSettings")
                ->getObject("*")
                ->getValue<std::string>("installation_mode"),
            "blocked");

  EXPECT_EQ(policies.install(), 0u) << "files already in place are not written again";
  EXPECT_TRUE(policies.poll().empty());
}

TEST_F(BrowserPolicyGuardTest, SafeSearchLevelSetsYouTubeRestrictedMode) {
  EXPECT_EQ(chromiumPolicies(SafeSearchLevel::Moderate)->getValue<int>("ForceYouTubeRestrict"), 1);
  EXPECT_TRUE(chromiumPolicies(SafeSearchLevel::Moderate)->getValue<bool>("ForceGoogleSafeSearch"));
  const auto off = chromiumPolicies(SafeSearchLevel::Off);
  EXPECT_FALSE(off->has("ForceYouTubeRestrict"));
  EXPECT_FALSE(off->has("ForceGoogleSafeSearch"));
  EXPECT_EQ(off->getValue<std::string>("DnsOverHttpsMode"), "off")
      << "DoH stays off at every level";
  EXPECT_EQ(off->getValue<int>("IncognitoModeAvailability"), 1);
  EXPECT_EQ(off->getObject("ProxySettings")->getValue<std::string>("ProxyMode"), "direct")
      << "no proxy at every level";
  EXPECT_EQ(off->getArray("ExtensionInstallBlocklist")->getElement<std::string>(0), "*");
}

TEST_F(BrowserPolicyGuardTest, AChangedSafeSearchLevelIsInstalledWithoutATamperReport) {
  (void)guard(SafeSearchLevel::Strict).install();
  auto moderate = guard(SafeSearchLevel::Moderate);
  EXPECT_EQ(moderate.install(), 2u) << "the two Chromium files; Firefox's policy has no level";
  EXPECT_EQ(readJson(chromium())->getValue<int>("ForceYouTubeRestrict"), 1);
  EXPECT_TRUE(moderate.poll().empty());
}

TEST_F(BrowserPolicyGuardTest, ARemovedFileIsPutBackAndReported) {
  auto policies = guard();
  (void)policies.install();
  std::filesystem::remove(chromium());

  const auto events = policies.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, common::EventType::Tamper);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "browser_policy_removed");
  const auto detail = events[0].payload->getValue<std::string>("detail");
  EXPECT_NE(detail.find("Chromium"), std::string::npos) << detail;
  EXPECT_NE(detail.find(chromium()), std::string::npos) << detail;
  EXPECT_EQ(readJson(chromium())->getValue<int>("IncognitoModeAvailability"), 1);
  EXPECT_TRUE(policies.poll().empty()) << "reported once";
}

TEST_F(BrowserPolicyGuardTest, AChangedValueIsPutBackAndReportedNamingThePolicy) {
  auto policies = guard();
  (void)policies.install();
  auto edited = readJson(chromium());  // every other policy of ours left as it is
  edited->set("IncognitoModeAvailability", 0);
  edited->set("HomepageLocation", "x");
  std::ostringstream text;
  edited->stringify(text);
  writeText(chromium(), text.str());

  const auto events = policies.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "browser_policy_changed");
  const auto detail = events[0].payload->getValue<std::string>("detail");
  EXPECT_NE(detail.find("IncognitoModeAvailability"), std::string::npos) << detail;
  const auto json = readJson(chromium());
  EXPECT_EQ(json->getValue<int>("IncognitoModeAvailability"), 1);
  EXPECT_EQ(json->getValue<std::string>("HomepageLocation"), "x") << "other policies are kept";
}

TEST_F(BrowserPolicyGuardTest, AValueOfAnotherTypeCountsAsChanged) {
  auto policies = guard();
  (void)policies.install();
  auto json = readJson(chromium());
  json->set("ForceGoogleSafeSearch", 1);  // Chromium ignores a number where it wants a boolean
  std::ostringstream text;
  json->stringify(text);
  writeText(chromium(), text.str());
  const auto events = policies.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].payload->getValue<std::string>("detail").find("ForceGoogleSafeSearch"),
            std::string::npos);
  EXPECT_TRUE(readJson(chromium())->getValue<bool>("ForceGoogleSafeSearch"));
}

TEST_F(BrowserPolicyGuardTest, AnUnlockedFirefoxDohSettingIsPutBack) {
  auto policies = guard();
  (void)policies.install();
  writeText(firefox(), R"({"policies": {"DNSOverHTTPS": {"Enabled": false, "Locked": false},
      "DisablePrivateBrowsing": true, "PrivateBrowsingModeAvailability": 1}})");
  const auto events = policies.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "browser_policy_changed");
  EXPECT_TRUE(readJson(firefox())
                  ->getObject("policies")
                  ->getObject("DNSOverHTTPS")
                  ->getValue<bool>("Locked"));
}

TEST_F(BrowserPolicyGuardTest, BrokenJsonIsReplacedAndReported) {
  auto policies = guard();
  (void)policies.install();
  for (const auto* text : {"{ not json", "[1, 2]", R"({"policies": 7})", ""}) {
    writeText(firefox(), text);
    const auto events = policies.poll();
    ASSERT_EQ(events.size(), 1u) << text;
    EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "browser_policy_changed");
    EXPECT_TRUE(
        readJson(firefox())->getObject("policies")->getValue<bool>("DisablePrivateBrowsing"))
        << text;
  }
}

TEST_F(BrowserPolicyGuardTest, AClubsOwnFirefoxPoliciesAreKeptAndLeftOnRemoval) {
  writeText(firefox(), R"({"policies": {"Homepage": {"URL": "https://club.example"}}})");
  auto policies = guard();
  EXPECT_EQ(policies.install(), 3u);
  EXPECT_TRUE(readJson(firefox())->getObject("policies")->has("Homepage"));
  EXPECT_TRUE(readJson(firefox())->getObject("policies")->has("DNSOverHTTPS"));

  policies.remove();
  const auto left = readJson(firefox())->getObject("policies");
  EXPECT_TRUE(left->has("Homepage"));
  EXPECT_FALSE(left->has("DNSOverHTTPS"));
  EXPECT_FALSE(left->has("DisablePrivateBrowsing"));
  EXPECT_FALSE(std::filesystem::exists(chromium())) << "a file with only our policies goes";
  EXPECT_FALSE(std::filesystem::exists(chrome()));
}

TEST_F(BrowserPolicyGuardTest, AnUnwritableLocationIsLoggedAndTheOthersStillWritten) {
  writeText((root_.path() / "etc/opt").string(), "a file where a directory should be");
  auto policies = guard();
  EXPECT_EQ(policies.install(), 2u);
  EXPECT_TRUE(std::filesystem::exists(chromium()));
  std::filesystem::remove(chromium());
  const auto events = policies.poll();  // Chrome's still fails; Chromium's is put back
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(chromium()));
}

TEST_F(BrowserPolicyGuardTest, TamperEventsAreValidInTheOutbox) {
  const clubsafe::testing::TempDir state;
  outbox::Outbox outbox(state.file("outbox.db"), outbox::Outbox::Access::ReadWrite);
  sources::SourceScheduler scheduler(outbox);
  auto policies = guard();
  (void)policies.install();
  std::filesystem::remove(firefox());
  scheduler.pollAndSave(policies);
  const auto waiting = outbox.nextBatch(10);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_NE(waiting[0].encoded.find("browser_policy_removed"), std::string::npos);
  EXPECT_NE(waiting[0].encoded.find("\"tamper\""), std::string::npos) << waiting[0].encoded;
}

TEST_F(BrowserPolicyGuardTest, TheWatcherPutsAPolicyBackWithoutWaitingForAPoll) {
  const clubsafe::testing::TempDir state;
  outbox::Outbox outbox(state.file("outbox.db"), outbox::Outbox::Access::ReadWrite);
  sources::SourceScheduler scheduler(outbox);  // not running: only the watcher looks
  auto policies = guard();
  (void)policies.install();
  BrowserPolicyWatcher watcher(policies, scheduler);
  std::thread watching([&] { watcher.run(); });

  std::filesystem::remove(chromium());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (outbox.depth() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  watcher.stop();
  watching.join();
  ASSERT_EQ(outbox.depth(), 1);
  EXPECT_NE(outbox.nextBatch(1)[0].encoded.find("browser_policy_removed"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(chromium()));
}

}  // namespace
}  // namespace clubsafe::agent::protection
