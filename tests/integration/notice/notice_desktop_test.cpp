// The notice program for real (SPEC N1-N4, F7): Debian's Xvfb, Openbox and dunst, the real
// collector, an enrolled real agent with its DNS filter (dnsmasq upstream) and notice socket,
// and the real clubsafe-notice, used with the keyboard only (xdotool). Screenshots of each step
// are kept in the build folder's test-artifacts/; what the person did must reach the collector.
#include "tests/integration/dns/dns_tools.hpp"
#include "tests/integration/notice/desktop.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

namespace clubsafe::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNoticeTitle = "Please read: this laptop is monitored";
constexpr const char* kSignInTitle = "Sign in";
constexpr const char* kIndicatorTitle = "clubsafe: monitoring is on";
constexpr const char* kWorryTitle = "Report a worry";
constexpr const char* kUnlockTitle = "Unlock a site (for youth workers)";
constexpr const char* kWorkerPin = "246810";
// The agent's self-test asks for it at start; it is blocked but nobody is told of it, and it
// does not use up the one notification the agent gives in 20 s.
constexpr const char* kSelfTestName = "selftest-casino.test";

std::string artifact(const std::string& name) {
  return (fs::path(CLUBSAFE_TEST_ARTIFACTS_DIR) / name).string();
}

class NoticeDesktopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto missing = missingDesktopPrograms(); !missing.empty()) {
      GTEST_SKIP() << "Not installed: " << missing << " (scripts/install-deps.sh installs them).";
    }
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    desktop_ = std::make_unique<Desktop>(dir_);
    dnsmasq_ = std::make_unique<Dnsmasq>(
        dir_, std::vector<std::string>{"--host-record=casino.test,192.0.2.20"});
  }

  // The club's notice, a worker and a gambling list, set on the console.
  void setUpClub(const ConsoleClient& console) const {
    Poco::JSON::Object notice;
    Poco::JSON::Array::Ptr paragraphs = new Poco::JSON::Array;
    paragraphs->add("This laptop keeps a record of the websites you visit and the apps you use.");
    paragraphs->add("We do this to keep you safe online. The records are kept for 90 days.");
    paragraphs->add("Only the club's safeguarding lead and the manager can look at them.");
    notice.set("club_name", "Riverside Youth Club");
    notice.set("paragraphs", paragraphs);
    notice.set("policy_url", "https://riverside.example/online-safety");
    notice.set("reason", "Our notice for the club laptops");
    const auto saved = console.post("/api/console/notice", toJson(notice));
    ASSERT_EQ(saved.status, 200) << saved.body;

    Poco::JSON::Object worker;
    worker.set("name", "Jo");
    worker.set("pin", kWorkerPin);
    worker.set("reason", "Jo runs the Tuesday session");
    const auto added = console.post("/api/console/workers", toJson(worker));
    ASSERT_EQ(added.status, 201) << added.body;

    const auto imported =
        console.importClubList("gambling", "casino.test\n" + std::string(kSelfTestName) + "\n");
    ASSERT_EQ(imported.status, 201) << imported.body;
  }

  std::vector<std::string> agentSettings() const {
    return {"dns.enabled=true", "dns.port=" + std::to_string(dnsPort_),
            "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port()),
            "policy.refresh_interval=1", "filter.safe_search=off",
            "notices.socket_path=" + socketPath_, "notices.allowed_users=" + currentUserName(),
            // The self-test's own blocked query is not the name this test blocks.
            "selftest.test_names=gambling=" + std::string(kSelfTestName),
            // Not port 80: the block page is not what this test looks at.
            "blockpage.port=" + std::to_string(freeLoopbackPort())};
  }

  void startNoticeProgram() {
    notice_ = std::make_unique<ChildProcess>(CLUBSAFE_NOTICE_BIN,
                                             std::vector<std::string>{"--socket", socketPath_},
                                             dir_.file("notice.log"));
  }

  // The payloads of the collector's events of `type`, waiting up to 30 s for `count` of them.
  std::vector<Poco::JSON::Object::Ptr> collected(const Collector& collector,
                                                 const std::string& type,
                                                 std::size_t count = 1) const {
    std::vector<std::vector<std::string>> rows;
    waitFor(
        [&] {
          rows = queryDatabase(
              collector.database(),
              "SELECT payload, member FROM events_as_text WHERE type = ? ORDER BY seq", {type});
          return rows.size() >= count;
        },
        30s);
    std::vector<Poco::JSON::Object::Ptr> payloads;
    for (const auto& row : rows) {
      payloads.push_back(parseObject(row[0]));
      payloads.back()->set("(member)", row[1]);
    }
    return payloads;
  }

  // The first address the agent's DNS filter gives for `name`, or its status when none.
  std::string address(const std::string& name) const { return firstAddress(dnsPort_, name); }

  // Opens the indicator's menu with the keyboard: Alt+Tab to it, then Alt+M.
  void openMenu() const {
    ASSERT_TRUE(desktop_->switchTo(kIndicatorTitle));
    desktop_->keys({"alt+m"});
  }

  void TearDown() override {
    if (notice_ && notice_->running()) {
      notice_->signal(SIGTERM);
      (void)notice_->wait();
    }
    if (::testing::Test::HasFailure() && notice_) {
      std::cerr << "clubsafe-notice said:\n" << notice_->output();
    }
  }

  TempDir dir_;
  std::unique_ptr<Desktop> desktop_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  std::uint16_t dnsPort_ = freeLoopbackPort();
  std::string socketPath_ = dir_.file("notice.sock");
  std::unique_ptr<ChildProcess> notice_;
};

TEST_F(NoticeDesktopTest, AYoungPersonsSessionWithTheKeyboardOnly) {
  Collector collector(dir_);
  collector.start();
  const ConsoleClient console(collector);
  setUpClub(console);
  Agent agent(dir_);
  ASSERT_EQ(agent.enrol(collector).status, 0);

  // The session starts before the agent answers: the indicator says so, and the notice comes
  // once the agent is there.
  startNoticeProgram();
  ASSERT_FALSE(desktop_->waitForWindow(kIndicatorTitle).empty()) << notice_->output();
  desktop_->screenshot(artifact("notice-agent-not-answering.png"));
  EXPECT_FALSE(desktop_->windowShown(kNoticeTitle));

  agent.start(agentSettings());
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("from the collector is in force") != std::string::npos; },
      30s))
      << agent.output();

  // N1: the notice, "I understand" focused and the default.
  const auto noticeWindow = desktop_->waitForWindow(kNoticeTitle);
  ASSERT_FALSE(noticeWindow.empty()) << notice_->output() << agent.output();
  // It comes up with the keyboard in it (as every window below): no mouse is needed.
  ASSERT_TRUE(desktop_->waitUntilActive(kNoticeTitle));
  desktop_->screenshot(artifact("notice-monitoring-notice.png"));
  // Escape does not put it away: only "I understand" does.
  desktop_->keys({"Escape"});
  EXPECT_FALSE(waitFor([&] { return !desktop_->windowShown(kNoticeTitle); }, 1500ms));
  desktop_->keys({"Return"});
  const auto acknowledged = collected(collector, "notice_acknowledged");
  ASSERT_EQ(acknowledged.size(), 1U) << agent.output();
  EXPECT_TRUE(acknowledged[0]->getValue<bool>("acknowledged"));
  EXPECT_FALSE(acknowledged[0]->getValue<std::string>("notice_version").empty());

  // N2: nobody is signed in, so signing in follows. Name, Tab to the age bands (youngest first:
  // Sam is not on the register, so an older band than the default profile's would be refused),
  // the first one.
  const auto signInWindow = desktop_->waitForWindow(kSignInTitle);
  ASSERT_FALSE(signInWindow.empty()) << notice_->output();
  ASSERT_TRUE(desktop_->waitUntilActive(kSignInTitle));
  EXPECT_FALSE(desktop_->windowShown(kNoticeTitle));
  desktop_->type("Sam");
  desktop_->keys({"Tab"});
  desktop_->screenshot(artifact("notice-sign-in.png"));
  desktop_->keys({"Return"});
  const auto signedIn = collected(collector, "member_sign_in");
  ASSERT_EQ(signedIn.size(), 1U) << agent.output();
  EXPECT_EQ(signedIn[0]->getValue<std::string>("method"), "first_name");
  EXPECT_EQ(signedIn[0]->getValue<std::string>("age_band"), "8-12");
  ASSERT_TRUE(waitFor([&] { return !desktop_->windowShown(kSignInTitle); }, 10s));

  // The indicator's menu, then "Report a worry" by its mnemonic.
  openMenu();
  desktop_->screenshot(artifact("notice-indicator-menu.png"));
  desktop_->keys({"w"});
  const auto worryWindow = desktop_->waitForWindow(kWorryTitle);
  ASSERT_FALSE(worryWindow.empty());
  ASSERT_TRUE(desktop_->waitUntilActive(kWorryTitle));
  // The second topic, Tab to the message, write it, Tab past Close to Send.
  desktop_->keys({"Down", "Tab"});
  desktop_->type("Someone in a game keeps asking where I live.");
  desktop_->keys({"Tab", "Tab"});
  desktop_->screenshot(artifact("notice-report-a-worry.png"));
  desktop_->keys({"Return"});
  const auto worries = collected(collector, "worry_report");
  ASSERT_EQ(worries.size(), 1U) << agent.output();
  EXPECT_EQ(worries[0]->getValue<std::string>("about"), "something_i_saw");
  EXPECT_EQ(worries[0]->getValue<std::string>("message"),
            "Someone in a game keeps asking where I live.");
  EXPECT_EQ(worries[0]->getValue<std::string>("(member)"), "Sam");
  desktop_->screenshot(artifact("notice-report-a-worry-sent.png"));
  desktop_->keys({"Escape"});

  // N3: a blocked name, its notification, and "Ask for a review" from it.
  const auto before = desktop_->notificationsShown();
  EXPECT_EQ(address("casino.test"), "127.0.0.2");
  // The agent records that it told this person (N3).
  const auto told = collected(collector, "block_notice");
  ASSERT_EQ(told.size(), 1U) << agent.output();
  EXPECT_EQ(told[0]->getValue<std::string>("domain"), "casino.test");
  ASSERT_TRUE(waitFor([&] { return desktop_->notificationsShown() > before; }, 15s))
      << notice_->output() << agent.output();
  desktop_->screenshot(artifact("notice-block-notification.png"));
  desktop_->invokeNotification();
  const auto reviews = collected(collector, "review_request");
  ASSERT_EQ(reviews.size(), 1U) << agent.output();
  EXPECT_EQ(reviews[0]->getValue<std::string>("domain"), "casino.test");
  EXPECT_EQ(reviews[0]->getValue<std::string>("category"), "gambling");

  // F7: a wrong PIN is refused in the agent's words, then the worker's PIN unlocks the site.
  openMenu();
  desktop_->keys({"u"});
  const auto unlockWindow = desktop_->waitForWindow(kUnlockTitle);
  ASSERT_FALSE(unlockWindow.empty());
  ASSERT_TRUE(desktop_->waitUntilActive(kUnlockTitle));
  desktop_->type("135799");
  desktop_->keys({"Tab", "Tab"});
  desktop_->type("casino.test");
  desktop_->keys({"Tab"});
  desktop_->type("Checking the club's raffle page");
  desktop_->keys({"Return"});
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("That PIN is not right") != std::string::npos; }, 20s))
      << agent.output();
  // The notice program shows the agent's words once its answer is in.
  std::this_thread::sleep_for(500ms);
  desktop_->screenshot(artifact("notice-unlock-refused.png"));
  // The PIN field has the focus again: the worker types the right one over the wrong one.
  desktop_->keys({"ctrl+a", "BackSpace"});
  desktop_->type(kWorkerPin);
  desktop_->keys({"Return"});
  const auto overrides = collected(collector, "override");
  ASSERT_EQ(overrides.size(), 1U) << agent.output();
  EXPECT_EQ(overrides[0]->getValue<std::string>("target"), "casino.test");
  EXPECT_EQ(overrides[0]->getValue<std::string>("worker"), "Jo");
  EXPECT_EQ(overrides[0]->getValue<std::int64_t>("minutes"), 15);
  desktop_->screenshot(artifact("notice-unlocked.png"));
  EXPECT_EQ(address("casino.test"), "192.0.2.20");
  desktop_->keys({"Escape"});

  // N2 again: Sam signs out, then a worker signs in with the PIN on the Staff tab.
  openMenu();
  desktop_->keys({"o"});
  const auto signedOut = collected(collector, "member_sign_out");
  ASSERT_EQ(signedOut.size(), 1U) << agent.output();
  EXPECT_EQ(signedOut[0]->getValue<std::string>("reason"), "signed_out");
  openMenu();
  desktop_->keys({"i"});
  const auto staffWindow = desktop_->waitForWindow(kSignInTitle);
  ASSERT_FALSE(staffWindow.empty());
  ASSERT_TRUE(desktop_->waitUntilActive(kSignInTitle));
  desktop_->keys({"ctrl+Page_Down"});
  desktop_->type(kWorkerPin);
  desktop_->screenshot(artifact("notice-staff-sign-in.png"));
  desktop_->keys({"Return"});
  const auto signIns = collected(collector, "member_sign_in", 2);
  ASSERT_EQ(signIns.size(), 2U) << agent.output();
  EXPECT_EQ(signIns[1]->getValue<std::string>("method"), "staff_pin");
  ASSERT_TRUE(waitFor([&] { return !desktop_->windowShown(kSignInTitle); }, 10s));
  desktop_->screenshot(artifact("notice-staff-signed-in.png"));

  // The agent restarts: the notice program finds it again and, as for any new connection, the
  // notice comes up to be acknowledged.
  agent.stop();
  agent.start(agentSettings());
  const auto noticeAgain = desktop_->waitForWindow(kNoticeTitle);
  ASSERT_FALSE(noticeAgain.empty()) << notice_->output() << agent.output();
  ASSERT_TRUE(desktop_->waitUntilActive(kNoticeTitle));
  desktop_->keys({"Return"});
  const auto acknowledgements = collected(collector, "notice_acknowledged", 2);
  ASSERT_EQ(acknowledgements.size(), 2U) << agent.output();
  EXPECT_TRUE(acknowledgements[1]->getValue<bool>("acknowledged"));
}

}  // namespace
}  // namespace clubsafe::testing
