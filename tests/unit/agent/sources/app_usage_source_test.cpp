#include "agent/sources/app_usage_source.hpp"

#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::sources {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The real starter libraries, as the agent loads them.
const recording::PhraseMatcher& starter() {
  static const recording::PhraseMatcher matcher = [] {
    recording::PhraseLibrary library;
    library.addStarterLibraries();
    return recording::PhraseMatcher(library);
  }();
  return matcher;
}

const common::Timestamp kStart{std::chrono::sys_days{std::chrono::year{2026} / 3 / 14}};

MergeSettings settings() {
  return {
      .sampleInterval = seconds(1), .idleThreshold = seconds(120), .longestInterval = seconds(600)};
}

AppSample use(const std::string& application, milliseconds idle = milliseconds(0)) {
  return {"amira", application, "", idle};
}

// Feeds one sample a second, from `from` seconds after kStart, for `count` seconds.
std::vector<AppInterval> feed(IntervalMerger& merger, const AppSample& sample, int from, int count,
                              const std::string& session = "2") {
  std::vector<AppInterval> closed;
  for (int i = 0; i < count; ++i) {
    auto ended = merger.add(session, sample, kStart + seconds(from + i));
    closed.insert(closed.end(), ended.begin(), ended.end());
  }
  return closed;
}

TEST(IntervalMergerTest, ConsecutiveSamplesOfOneApplicationMakeOneIntervalEndedByASwitch) {
  IntervalMerger merger(settings());
  EXPECT_TRUE(feed(merger, use("firefox-esr"), 0, 30).empty());
  const auto closed = feed(merger, use("libreoffice"), 30, 10);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].user, "amira");
  EXPECT_EQ(closed[0].application, "firefox-esr");
  EXPECT_EQ(closed[0].started, kStart);
  EXPECT_EQ(closed[0].length, seconds(30));

  const auto last = merger.end("2", kStart + seconds(40));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].application, "libreoffice");
  EXPECT_EQ(last[0].started, kStart + seconds(30));
  EXPECT_EQ(last[0].length, seconds(10));
}

TEST(IntervalMergerTest, IdleTimeOverTheThresholdIsLeftOutFromTheLastInput) {
  IntervalMerger merger(settings());
  // Input for 60 s, then none: idle grows a second a second from 60 s on.
  EXPECT_TRUE(feed(merger, use("firefox-esr"), 0, 60).empty());
  std::vector<AppInterval> closed;
  for (int idle = 0; idle <= 130 && closed.empty(); ++idle) {
    closed = merger.add("2", use("firefox-esr", seconds(idle)), kStart + seconds(60 + idle));
  }
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].length, seconds(60));  // ends at the last input, not at the threshold
  // Still idle: nothing more; back at the keyboard: a new interval from then.
  EXPECT_TRUE(merger.add("2", use("firefox-esr", seconds(200)), kStart + seconds(260)).empty());
  EXPECT_TRUE(feed(merger, use("firefox-esr"), 300, 20).empty());
  const auto back = merger.end("2", kStart + seconds(320));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].started, kStart + seconds(300));
  EXPECT_EQ(back[0].length, seconds(20));
}

TEST(IntervalMergerTest, IdleBelowTheThresholdCountsAsUse) {
  IntervalMerger merger(settings());
  EXPECT_TRUE(feed(merger, use("evince", seconds(100)), 0, 10).empty());
  const auto closed = merger.end("2", kStart + seconds(10));
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].length, seconds(10));
}

TEST(IntervalMergerTest, AZeroThresholdTurnsIdleDetectionOff) {
  auto noIdle = settings();
  noIdle.idleThreshold = milliseconds(0);
  IntervalMerger merger(noIdle);
  EXPECT_TRUE(feed(merger, use("evince", seconds(500)), 0, 10).empty());
  const auto closed = merger.end("2", kStart + seconds(10));
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].length, seconds(10));
}

TEST(IntervalMergerTest, LongIntervalsAreWrittenInPieces) {
  IntervalMerger merger(settings());
  const auto closed = feed(merger, use("vlc"), 0, 1500);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].started, kStart);
  EXPECT_EQ(closed[0].length, seconds(600));
  EXPECT_EQ(closed[1].started, kStart + seconds(600));
  EXPECT_EQ(closed[1].length, seconds(600));
  const auto rest = merger.endAll(kStart + seconds(1500));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].length, seconds(300));
}

TEST(IntervalMergerTest, NoFocusedWindowEndsTheIntervalAndGlancesAreNotRecorded) {
  IntervalMerger merger(settings());
  (void)feed(merger, use("xterm"), 0, 5);
  const auto closed =
      merger.add("2", {"amira", std::nullopt, "", milliseconds(0)}, kStart + seconds(5));
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].length, seconds(5));
  EXPECT_TRUE(merger.sessions().empty());
  // Seen once and switched away from within a second: not use.
  EXPECT_TRUE(merger.add("2", use("xlogo"), kStart + seconds(6)).empty());
  EXPECT_TRUE(merger.add("2", use("xterm"), kStart + milliseconds(6500)).empty());
}

TEST(IntervalMergerTest, TitlesUsersAndSessionsAreKeptApart) {
  IntervalMerger merger(settings());
  (void)feed(merger, {"amira", "firefox-esr", "Homework", milliseconds(0)}, 0, 5, "2");
  (void)feed(merger, {"ben", "firefox-esr", "Homework", milliseconds(0)}, 0, 8, "3");
  const auto titleChange =
      merger.add("2", {"amira", "firefox-esr", "Games", milliseconds(0)}, kStart + seconds(5));
  ASSERT_EQ(titleChange.size(), 1u);
  EXPECT_EQ(titleChange[0].title, "Homework");
  const auto all = merger.endAll(kStart + seconds(8));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].title, "Games");
  EXPECT_EQ(all[0].length, seconds(3));
  EXPECT_EQ(all[1].user, "ben");
  EXPECT_EQ(all[1].length, seconds(8));
}

TEST(IntervalMergerTest, AGapInSamplingEndsTheIntervalWhereItWasLastSeen) {
  IntervalMerger merger(settings());
  (void)feed(merger, use("xterm"), 0, 10);  // last seen at 9 s
  // The laptop slept: the next sample comes an hour later.
  const auto closed = merger.add("2", use("xterm"), kStart + seconds(3609));
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].length, seconds(9));
}

TEST(AppUsageEventTest, CarriesTheIntervalAsTheEventModelSays) {
  const AppInterval interval{"amira", "firefox-esr", std::string("Caf\xc3\xa9 \xff", 7), kStart,
                             milliseconds(29600)};
  const auto event = appUsageEvent(interval);
  EXPECT_EQ(event.type, common::EventType::AppUsage);
  EXPECT_EQ(event.osUser, "amira");
  EXPECT_EQ(event.time, kStart + milliseconds(29600));
  EXPECT_EQ(event.payload->getValue<std::string>("application"), "firefox-esr");
  EXPECT_EQ(event.payload->getValue<std::int64_t>("seconds"), 30);
  EXPECT_EQ(event.payload->getValue<std::string>("started"), common::formatTimestamp(kStart));
  EXPECT_EQ(event.payload->getValue<std::string>("title"), "Caf\xc3\xa9 \xef\xbf\xbd");

  const auto untitled = appUsageEvent({"amira", "xterm", "", kStart, seconds(5)});
  EXPECT_FALSE(untitled.payload->has("title"));
}

class FakeSessions : public platform::LoginSessions {
 public:
  std::vector<platform::LoginSession> list() override { return sessions; }
  std::vector<platform::LoginSession> sessions;
};

class FakeWindow : public platform::ForegroundWindow {
 public:
  platform::ForegroundSample sample(const std::string& display, std::uint32_t /*uid*/,
                                    bool withTitle) override {
    asked.push_back(display);
    titlesAsked = withTitle;
    return next;
  }
  void forget(const std::string& display) override { forgotten.push_back(display); }

  platform::ForegroundSample next;
  std::vector<std::string> asked;
  std::vector<std::string> forgotten;
  bool titlesAsked = false;
};

class AppUsageSourceTest : public ::testing::Test {
 protected:
  platform::ForegroundSample window(const std::string& application) {
    return {platform::DisplayOutcome::Window, application, "a title", milliseconds(0), ""};
  }

  FakeSessions sessions_;
  FakeWindow window_;
  common::Timestamp now_ = kStart;
  AppUsageSource source_{
      {settings(), false, ""}, sessions_, window_, starter(), [this] { return now_; }};
};

TEST_F(AppUsageSourceTest, SamplesX11SessionsAndWritesAnEventPerInterval) {
  sessions_.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false},
                        {"5", 1001, "ben", "tty", "", "online", false},
                        {"7", 1002, "cai", "x11", ":10", "active", true}};
  window_.next = window("firefox-esr");
  for (int i = 0; i < 20; ++i, now_ += seconds(1)) EXPECT_TRUE(source_.poll().empty());
  EXPECT_EQ(window_.asked, std::vector<std::string>(20, ":0"));  // not the tty, not remote

  // Logout.
  sessions_.sessions.erase(sessions_.sessions.begin());
  const auto events = source_.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].osUser, "amira");
  EXPECT_EQ(events[0].payload->getValue<std::string>("application"), "firefox-esr");
  EXPECT_EQ(events[0].payload->getValue<std::int64_t>("seconds"), 20);
  EXPECT_FALSE(events[0].payload->has("title"));
  EXPECT_EQ(window_.forgotten, std::vector<std::string>{":0"});
}

TEST_F(AppUsageSourceTest, SaysWhichModeEachGraphicalSessionIsIn) {
  sessions_.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false},
                        {"3", 1001, "ben", "wayland", "", "active", false}};
  window_.next = window("xterm");
  for (int i = 0; i < 5; ++i, now_ += seconds(1)) EXPECT_TRUE(source_.poll().empty());
  auto modes = source_.modes();
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[0].mode, "foreground-window");
  EXPECT_EQ(modes[1].mode, "running-applications");
  EXPECT_EQ(modes[1].user, "ben");

  window_.next = {platform::DisplayOutcome::Unreachable, "", "", std::nullopt, "refused"};
  const auto events = source_.poll();  // the display went away: the interval ends
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::int64_t>("seconds"), 5);
  modes = source_.modes();
  EXPECT_EQ(modes[0].mode, "running-applications");
  EXPECT_NE(modes[0].detail.find("refused"), std::string::npos);
}

TEST_F(AppUsageSourceTest, FinishClosesWhatIsOpen) {
  sessions_.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false}};
  window_.next = window("xterm");
  (void)source_.poll();
  now_ += seconds(3);
  const auto events = source_.finish();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::int64_t>("seconds"), 3);
  EXPECT_TRUE(source_.finish().empty());
}

TEST(AppUsageSourceTitles, TitlesAreRecordedOnlyWhenSet) {
  FakeSessions sessions;
  FakeWindow window;
  sessions.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false}};
  window.next = {platform::DisplayOutcome::Window, "firefox-esr", "Homework help", milliseconds(0),
                 ""};
  common::Timestamp now = kStart;
  AppUsageSource source({settings(), true, ""}, sessions, window, starter(),
                        [&now] { return now; });
  (void)source.poll();
  now += seconds(2);
  const auto events = source.finish();
  EXPECT_TRUE(window.titlesAsked);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("title"), "Homework help");
}

TEST_F(AppUsageSourceTest, ANewWindowTitleWithAPhraseAlertsOnceWhetherOrNotTitlesAreRecorded) {
  sessions_.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false}};
  window_.next = {platform::DisplayOutcome::Window, "firefox-esr", "i want to die - Google Search",
                  milliseconds(0), ""};
  const auto first = source_.poll();
  EXPECT_TRUE(window_.titlesAsked);  // for the phrases, though titles are not recorded
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].type, common::EventType::SafeguardingAlert);
  EXPECT_EQ(first[0].osUser, "amira");
  EXPECT_EQ(first[0].time, kStart);
  EXPECT_EQ(first[0].payload->getValue<std::string>("category"), "self-harm");
  EXPECT_EQ(first[0].payload->getValue<std::string>("phrase"), "want to die");
  EXPECT_EQ(first[0].payload->getValue<std::string>("source"), "window_title");

  // The same title, also after a moment with no focused window: no second alert.
  for (int i = 0; i < 5; ++i) {
    now_ += seconds(1);
    EXPECT_TRUE(source_.poll().empty());
  }
  window_.next.outcome = platform::DisplayOutcome::NoWindow;
  now_ += seconds(1);
  const auto unfocused = source_.poll();  // closes the interval
  ASSERT_EQ(unfocused.size(), 1u);
  EXPECT_EQ(unfocused[0].type, common::EventType::AppUsage);
  EXPECT_FALSE(unfocused[0].payload->has("title"));  // titles are not recorded
  window_.next.outcome = platform::DisplayOutcome::Window;
  now_ += seconds(1);
  EXPECT_TRUE(source_.poll().empty());

  // Another title, then the first again: each change is looked at afresh. Titles are not
  // recorded, so the title change does not split the app_usage interval.
  window_.next.title = "Homework help";
  now_ += seconds(1);
  EXPECT_TRUE(source_.poll().empty());
  window_.next.title = "i want to die - Google Search";
  now_ += seconds(1);
  const auto again = source_.poll();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].type, common::EventType::SafeguardingAlert);

  // Another session with the same title is another person: it alerts too.
  sessions_.sessions.push_back({"4", 1001, "ben", "x11", ":1", "active", false});
  now_ += seconds(1);
  const auto other = source_.poll();
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].osUser, "ben");
  EXPECT_EQ(other[0].payload->getValue<std::string>("source"), "window_title");
}

TEST(AppUsageStatusTest, StatusShowsEachSessionsModeFromTheFileTheSourceKeeps) {
  testing::TempDir dir;
  const auto file = dir.file("app_usage_modes.json");
  EXPECT_NE(appUsageStatus(file).find("not recorded yet"), std::string::npos);

  FakeSessions sessions;
  FakeWindow window;
  sessions.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false},
                       {"3", 1001, "ben", "wayland", "", "active", false}};
  window.next = {platform::DisplayOutcome::Window, "xterm", "", milliseconds(0), ""};
  AppUsageSettings appSettings{settings(), false, file};
  AppUsageSource source(appSettings, sessions, window, starter(), [] { return kStart; });
  (void)source.poll();
  const auto status = appUsageStatus(file);
  EXPECT_NE(status.find("session 2 (amira): the foreground window and time in it; display :0"),
            std::string::npos)
      << status;
  EXPECT_NE(status.find("session 3 (ben): only the applications running"), std::string::npos)
      << status;

  sessions.sessions.clear();
  (void)source.poll();
  EXPECT_NE(appUsageStatus(file).find("nobody is logged in graphically"), std::string::npos);

  std::ofstream(file) << "{\"sessions\": [1, 2]}";
  EXPECT_NE(appUsageStatus(file).find("is damaged"), std::string::npos);
  std::ofstream(file) << "not json";
  EXPECT_NE(appUsageStatus(file).find("is damaged"), std::string::npos);
}

}  // namespace
}  // namespace clubsafe::agent::sources
