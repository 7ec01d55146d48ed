// The agent's Chromium policy in Debian's real Chromium: installed into the machine's managed
// policy directory, read back through chrome://policy by tests/browser/managed_policy_probe.mjs
// (headless Chromium driven by playwright-core), and put back after a change. Needs root to
// write /etc/chromium/policies/managed; whatever was there before is restored afterwards.

#include "agent/platform/private_file.hpp"
#include "agent/protection/browser_policies.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace clubsafe::agent::protection {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kProbe = CLUBSAFE_BROWSER_TESTS_DIR "/managed_policy_probe.mjs";
constexpr const char* kPlaywright = CLUBSAFE_BROWSER_TESTS_DIR "/node_modules/playwright-core";

// Puts the machine's Chromium policy directory back as it was, however the test ends.
class RestoreManagedDirectory {
 public:
  explicit RestoreManagedDirectory(fs::path file) : file_(std::move(file)) {
    for (auto dir = file_.parent_path(); !fs::exists(dir); dir = dir.parent_path()) {
      created_.push_back(dir);
    }
    before_ = platform::readFileIfExists(file_.string());
  }
  ~RestoreManagedDirectory() {
    std::error_code ignored;
    if (before_) {
      platform::writeSystemFile(file_.string(), *before_);
    } else {
      fs::remove(file_, ignored);
    }
    for (const auto& dir : created_) fs::remove(dir, ignored);  // only if left empty
  }
  RestoreManagedDirectory(const RestoreManagedDirectory&) = delete;
  RestoreManagedDirectory& operator=(const RestoreManagedDirectory&) = delete;

 private:
  fs::path file_;
  std::optional<std::string> before_;
  std::vector<fs::path> created_;  // innermost first
};

// What Chromium reports, from the probe's JSON.
Poco::JSON::Object::Ptr probeChromium() {
  const std::string command = std::string("node ") + kProbe + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return nullptr;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  try {
    return Poco::JSON::Parser().parse(output).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& error) {
    ADD_FAILURE() << "the probe's output is not JSON: " << error.displayText() << "\n" << output;
    return nullptr;
  }
}

std::string textOf(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  auto text = out.str();
  if (text.size() >= 2 && text.front() == '"') text = text.substr(1, text.size() - 2);
  return text;
}

void expectEveryPolicyInForce(const Poco::JSON::Object::Ptr& probe,
                              const Poco::JSON::Object::Ptr& expected) {
  ASSERT_FALSE(probe.isNull());
  const auto listed = probe->getObject("policies");
  ASSERT_FALSE(listed.isNull());
  for (const auto& [name, value] : *expected) {
    const auto row = listed->getObject(name);
    ASSERT_FALSE(row.isNull()) << name << " is not listed in chrome://policy";
    EXPECT_EQ(row->getValue<std::string>("status"), "OK") << name;
    EXPECT_EQ(row->getValue<std::string>("value"), textOf(value)) << name;
  }
}

class ChromiumPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "Skipped: installing a policy into Chromium's managed directory "
                      "(/etc/chromium/policies/managed) needs root; run this test as root.";
    }
    if (!fs::exists(kChromium) || !fs::exists(kPlaywright)) {
      GTEST_SKIP() << "Skipped: needs " << kChromium << " (apt install chromium) and "
                   << "playwright-core (npm ci --prefix tests/browser).";
    }
  }
};

TEST_F(ChromiumPolicyTest, ChromiumEnforcesEveryPolicyTheAgentInstallsAndGetsThemBack) {
  std::vector<platform::BrowserPolicyFile> chromium;
  for (auto& file : platform::browserPolicyFiles("/")) {
    if (file.browser == "Chromium" && file.path.starts_with("/etc/chromium/")) {
      chromium.push_back(std::move(file));
    }
  }
  ASSERT_EQ(chromium.size(), 1u);
  const RestoreManagedDirectory restore(chromium[0].path);
  BrowserPolicyGuard guard(chromium, dns::SafeSearchLevel::Strict, std::chrono::seconds(30));
  ASSERT_EQ(guard.install(), 1u);

  const auto expected = chromiumPolicies(dns::SafeSearchLevel::Strict);
  const auto probe = probeChromium();
  expectEveryPolicyInForce(probe, expected);
  ASSERT_FALSE(probe.isNull());
  EXPECT_NE(probe->getValue<std::string>("googleSearchSentTo").find("safe=active"),
            std::string::npos)
      << probe->getValue<std::string>("googleSearchSentTo");

  // Someone with root turns incognito windows back on; the next check undoes it.
  platform::writeSystemFile(chromium[0].path, R"({"IncognitoModeAvailability": 0})");
  EXPECT_EQ(probeChromium()
                ->getObject("policies")
                ->getObject("IncognitoModeAvailability")
                ->getValue<std::string>("value"),
            "0");
  const auto events = guard.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "browser_policy_changed");
  expectEveryPolicyInForce(probeChromium(), expected);
}

}  // namespace
}  // namespace clubsafe::agent::protection
