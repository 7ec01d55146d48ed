// The dashboard's read model over real ingest: figures of a period, opening hours in local time,
// local weeks across a clock change, the latest self-test, and who is using a laptop now.
#include "collector/storage/sqlite_read_model.hpp"
#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using common::EventType;
using testing::at;

// The allowed lookups the DNS decisions of `events` count.
std::int64_t allowedIn(const std::vector<common::Event>& events) {
  std::int64_t allowed = 0;
  for (const auto& each : events) {
    if (each.type == EventType::DnsDecision &&
        each.payload->getValue<std::string>("action") == "allowed") {
      allowed += each.payload->getValue<std::int64_t>("count");
    }
  }
  return allowed;
}

void expectSameList(const std::vector<NamedCount>& days, const std::vector<NamedCount>& hours,
                    const std::string& what) {
  ASSERT_EQ(days.size(), hours.size()) << what;
  for (std::size_t i = 0; i < days.size(); ++i) {
    EXPECT_EQ(days[i].name, hours[i].name) << what << " " << i;
    EXPECT_EQ(days[i].category, hours[i].category) << what << " " << i;
    EXPECT_EQ(days[i].count, hours[i].count) << what << " " << i;
  }
}

// Every figure of the dashboard, read with the day tables and from the hours alone.
void expectSameFigures(const DashboardFigures& days, const DashboardFigures& hours) {
  EXPECT_EQ(days.openHours, hours.openHours);
  ASSERT_EQ(days.laptops.size(), hours.laptops.size());
  for (std::size_t i = 0; i < days.laptops.size(); ++i) {
    const auto& a = days.laptops[i];
    const auto& b = hours.laptops[i];
    EXPECT_EQ(a.deviceId, b.deviceId);
    EXPECT_EQ(a.hoursReporting, b.hoursReporting) << a.deviceId;
    EXPECT_EQ(a.silentOpenHours, b.silentOpenHours) << a.deviceId;
    EXPECT_EQ(a.hoursUsedWhileClosed, b.hoursUsedWhileClosed) << a.deviceId;
    EXPECT_EQ(a.eventsDropped, b.eventsDropped) << a.deviceId;
  }
  expectSameList(days.blockedByCategory, hours.blockedByCategory, "blocked by category");
  expectSameList(days.topBlockedSites, hours.topBlockedSites, "top blocked sites");
  expectSameList(days.topAllowedSites, hours.topAllowedSites, "top allowed sites");
  expectSameList(days.topApps, hours.topApps, "top apps");
  EXPECT_EQ(
      std::tie(days.logins, days.signIns, days.noticesAcknowledged, days.searches, days.visits,
               days.overrides, days.reviewRequests, days.tamper, days.alerts),
      std::tie(hours.logins, hours.signIns, hours.noticesAcknowledged, hours.searches, hours.visits,
               hours.overrides, hours.reviewRequests, hours.tamper, hours.alerts));
  ASSERT_EQ(days.weeks.size(), hours.weeks.size());
  for (std::size_t i = 0; i < days.weeks.size(); ++i) {
    const auto& a = days.weeks[i];
    const auto& b = hours.weeks[i];
    EXPECT_EQ(std::tie(a.monday, a.blocked, a.allowed, a.appSeconds, a.logins, a.signIns),
              std::tie(b.monday, b.blocked, b.allowed, b.appSeconds, b.logins, b.signIns))
        << "week " << i;
  }
}

class ReadModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    enrol("laptop-a", "Laptop A");
    enrol("laptop-b", "Laptop B");
  }

  void enrol(const std::string& id, const std::string& name) {
    const auto token = common::sha256Hex("token " + id);
    const auto enrolled = at("2026-01-01T00:00:00Z");
    (void)stores().devices.createEnrolmentToken(token, "", "test", enrolled, enrolled + 1h, {});
    ASSERT_TRUE(stores().devices.enrolDevice(token,
                                             {.id = id,
                                              .secretHash = "x",
                                              .name = name,
                                              .hostname = "",
                                              .os = "linux",
                                              .agentVersion = "1.0.0"},
                                             enrolled));
  }

  const Stores& stores() { return storage_.stores; }

  common::Event event(EventType type, std::string_view time, const std::string& member = "sam") {
    common::Event made;
    made.sequence = ++sequence_;
    made.time = at(time);
    made.type = type;
    made.osUser = "club";
    made.member = member;
    made.profile = "juniors";
    return made;
  }

  common::Event dns(std::string_view minute, const std::string& domain, const std::string& action,
                    const std::string& category, std::int64_t count) {
    auto made = event(EventType::DnsDecision, minute);
    made.payload->set("domain", domain);
    made.payload->set("action", action);
    if (!category.empty()) made.payload->set("category", category);
    made.payload->set("minute", std::string(minute));
    made.payload->set("count", count);
    return made;
  }

  common::Event app(std::string_view started, std::int64_t seconds, const std::string& name) {
    auto made = event(EventType::AppUsage, started);
    made.time = at(started) + std::chrono::seconds(seconds);
    made.payload->set("application", name);
    made.payload->set("seconds", seconds);
    made.payload->set("started", std::string(started));
    return made;
  }

  common::Event heartbeat(std::string_view time) {
    auto made = event(EventType::Heartbeat, time, "");
    made.payload->set("uptime_seconds", 10);
    made.payload->set("queue_depth", 0);
    made.payload->set("agent_version", "1.1.0");
    return made;
  }

  common::Event simple(EventType type, std::string_view time) {
    auto made = event(type, time);
    if (type == EventType::Session) made.payload->set("action", "login");
    if (type == EventType::MemberSignIn) {
      made.payload->set("age_band", "8-12");
      made.payload->set("method", "first_name");
    }
    if (type == EventType::NoticeAcknowledged) {
      made.payload->set("acknowledged", true);
      made.payload->set("notice_version", "v1");
    }
    return made;
  }

  void send(const std::string& device, std::vector<common::Event> events,
            std::string_view now = "2026-12-01T00:00:00Z") {
    common::Batch batch;
    batch.header = {.version = common::kBatchVersion, .deviceId = device, .backlog = 0};
    for (auto& each : events) each.deviceId = device;
    batch.events = std::move(events);
    (void)stores().events.storeEvents(batch, at(now));
  }

  DashboardFigures dashboard(std::string_view from, std::string_view to, std::size_t top = 10,
                             const std::string& openingHours = "tue 18:00-21:00") {
    const ClubTime london("Europe/London", parseOpeningHoursSetting(openingHours));
    return readModel_.dashboard(london, at(from), at(to), top);
  }

  // An evening's use of a laptop on `day` (UTC date): blocks and visits of sites that vary with
  // `seed`, app time over an hour's end and over midnight, a login, a sign-in and a search.
  std::vector<common::Event> evening(const std::string& day, int seed) {
    const auto site = [&](int n) { return "site" + std::to_string((seed * 7 + n) % 13) + ".test"; };
    return {dns(day + "T17:58:00Z", site(1), "allowed", "", 1 + seed % 5),
            dns(day + "T18:05:00Z", site(2), "blocked", seed % 2 ? "gambling" : "chat", 2),
            dns(day + "T22:59:00Z", site(3), "allowed", "", 3),
            dns(day + "T23:30:00Z", site(4), "allowed", "", 4 + seed % 3),
            app(day + "T18:55:00Z", 600, "firefox"),
            app(day + "T23:55:00Z", 600, seed % 2 ? "gimp" : "scratch"),
            simple(EventType::Session, day + "T17:50:00Z"),
            simple(EventType::MemberSignIn, day + "T17:51:00Z"),
            simple(EventType::SearchTerm, day + "T21:10:00Z"),
            heartbeat(day + "T20:10:00Z")};
  }

  void expectSameFiguresEitherWay(std::string_view from, std::string_view to) {
    SCOPED_TRACE(std::string(from) + " to " + std::string(to));
    const ClubTime london("Europe/London", parseOpeningHoursSetting("tue,thu 18:00-21:00"));
    expectSameFigures(readModel_.dashboard(london, at(from), at(to), 5),
                      hoursOnly_.dashboard(london, at(from), at(to), 5));
  }

  testing::TestStorage storage_;
  SqliteReadModel readModel_{storage_.sqlite.database()};
  // The same figures from the hourly rows alone: what the day tables must agree with.
  SqliteReadModel hoursOnly_{storage_.sqlite.database(), SqliteReadModel::DayRollups::Ignore};
  std::int64_t sequence_ = 0;
};

TEST_F(ReadModelTest, APeriodsFiguresCountOnlyWhatHappenedInIt) {
  send("laptop-a",
       {dns("2026-11-03T18:05:00Z", "bet.example", "blocked", "gambling", 3),
        dns("2026-11-03T18:06:00Z", "dice.example", "blocked", "gambling", 1),
        dns("2026-11-03T18:06:00Z", "chat.example", "blocked", "chat", 2),
        dns("2026-11-03T18:07:00Z", "bbc.co.uk", "allowed", "", 9),
        app("2026-11-03T18:10:00Z", 600, "firefox"), app("2026-11-03T18:30:00Z", 60, "gimp"),
        simple(EventType::Session, "2026-11-03T18:00:00Z"),
        simple(EventType::MemberSignIn, "2026-11-03T18:01:00Z"),
        simple(EventType::NoticeAcknowledged, "2026-11-03T18:01:00Z"),
        heartbeat("2026-11-03T18:20:00Z")});  // nobody's: a second member in that hour
  // Before the period: not counted.
  send("laptop-b", {dns("2026-10-27T18:05:00Z", "bet.example", "blocked", "gambling", 50)});

  const auto figures = dashboard("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", 10);
  ASSERT_EQ(figures.blockedByCategory.size(), 2U);
  EXPECT_EQ(figures.blockedByCategory[0].name, "gambling");
  EXPECT_EQ(figures.blockedByCategory[0].count, 4);
  EXPECT_EQ(figures.blockedByCategory[1].name, "chat");
  ASSERT_EQ(figures.topBlockedSites.size(), 3U);
  EXPECT_EQ(figures.topBlockedSites[0].name, "bet.example");
  EXPECT_EQ(figures.topBlockedSites[0].category, "gambling");
  EXPECT_EQ(figures.topBlockedSites[0].count, 3);
  ASSERT_EQ(figures.topAllowedSites.size(), 1U);
  EXPECT_EQ(figures.topAllowedSites[0].count, 9);
  ASSERT_EQ(figures.topApps.size(), 2U);
  EXPECT_EQ(figures.topApps[0].name, "firefox");
  EXPECT_EQ(figures.topApps[0].count, 600);
  EXPECT_EQ(figures.logins, 1);
  EXPECT_EQ(figures.signIns, 1);
  EXPECT_EQ(figures.noticesAcknowledged, 1);
  ASSERT_EQ(figures.laptops.size(), 2U);
  EXPECT_EQ(figures.laptops[0].name, "Laptop A");
  EXPECT_EQ(figures.laptops[0].hoursReporting, 1) << "one hour, however many members";
  EXPECT_EQ(figures.laptops[1].hoursReporting, 0);
  EXPECT_TRUE(figures.laptops[1].lastContact.has_value());

  const auto top1 = dashboard("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", 1);
  EXPECT_EQ(top1.topBlockedSites.size(), 1U);
  EXPECT_EQ(top1.topApps.size(), 1U);
}

TEST_F(ReadModelTest, OpeningHoursAreLocalForSilenceAndUseWhileClosed) {
  // Tuesday 3 November 2026 (GMT, so local is UTC) and Tuesday 20 October (BST, UTC+1).
  send("laptop-a", {heartbeat("2026-11-03T18:10:00Z"), heartbeat("2026-11-03T19:10:00Z"),
                    app("2026-11-03T22:00:00Z", 120, "firefox"), heartbeat("2026-10-20T17:10:00Z"),
                    heartbeat("2026-10-20T18:10:00Z"), heartbeat("2026-10-20T19:10:00Z")});
  const auto figures = dashboard("2026-10-19T00:00:00Z", "2026-11-05T00:00:00Z", 10);
  EXPECT_EQ(figures.openHours, 9);  // three Tuesdays of three hours
  const auto& laptop = figures.laptops[0];
  // 20 Oct: all three local hours reported; 27 Oct: none; 3 Nov: 20:00 silent.
  EXPECT_EQ(laptop.silentOpenHours, 3 + 1);
  EXPECT_EQ(laptop.hoursUsedWhileClosed, 1);
  EXPECT_EQ(figures.laptops[1].silentOpenHours, 9);
  EXPECT_EQ(laptop.agentVersion, "1.1.0") << "from the newest heartbeat";

  // Opening hours still to come are nobody's silence (this test runs before 2099).
  const auto future = dashboard("2099-01-05T00:00:00Z", "2099-01-07T00:00:00Z");
  EXPECT_EQ(future.openHours, 3);
  EXPECT_EQ(future.laptops[0].silentOpenHours, 0);

  const auto none = dashboard("2026-10-19T00:00:00Z", "2026-11-05T00:00:00Z", 10, "");
  EXPECT_EQ(none.openHours, 0);
  EXPECT_EQ(none.laptops[0].silentOpenHours, 0);
  EXPECT_EQ(none.laptops[0].hoursUsedWhileClosed, 0);
}

TEST_F(ReadModelTest, WeeksAreLocalAcrossTheOctoberClockChange) {
  // Saturday 24 Oct 23:30 BST is 22:30 UTC; Sunday 25 Oct 23:30 GMT is 23:30 UTC: both in the
  // week of Monday 19 October. Monday 26 Oct 00:30 GMT starts the next week.
  send("laptop-a", {dns("2026-10-24T22:30:00Z", "a.example", "blocked", "chat", 1),
                    dns("2026-10-25T23:30:00Z", "a.example", "blocked", "chat", 2),
                    dns("2026-10-26T00:30:00Z", "a.example", "blocked", "chat", 4),
                    dns("2026-10-18T22:30:00Z", "a.example", "blocked", "chat", 8)});
  // The period: local days 19 October to 1 November.
  const auto figures = dashboard("2026-10-18T23:00:00Z", "2026-11-02T00:00:00Z", 10);
  ASSERT_EQ(figures.weeks.size(), 2U);
  EXPECT_EQ(figures.weeks[0].monday, std::chrono::local_days(std::chrono::year(2026) / 10 / 19));
  EXPECT_EQ(figures.weeks[0].blocked, 3);
  EXPECT_EQ(figures.weeks[1].blocked, 4);
  EXPECT_EQ(figures.blockedByCategory.at(0).count, 7) << "18 Oct 23:30 BST is before the period";
}

TEST_F(ReadModelTest, WeeksAreLocalAcrossTheMarchClockChange) {
  // Sunday 29 March 2026 23:30 BST is 22:30 UTC, in the week of Monday 23 March; Monday 30
  // March 00:30 BST is 23:30 UTC on the Sunday. That UTC day is read hour by hour.
  send("laptop-a", {dns("2026-03-29T22:30:00Z", "a.example", "blocked", "chat", 1),
                    dns("2026-03-29T23:30:00Z", "a.example", "blocked", "chat", 2),
                    dns("2026-03-25T12:00:00Z", "a.example", "blocked", "chat", 4)});
  // Local days 23 March (GMT) to 5 April (BST).
  const auto figures = dashboard("2026-03-23T00:00:00Z", "2026-04-05T23:00:00Z", 10);
  ASSERT_EQ(figures.weeks.size(), 2U);
  EXPECT_EQ(figures.weeks[0].blocked, 1 + 4);
  EXPECT_EQ(figures.weeks[1].blocked, 2);
  expectSameFiguresEitherWay("2026-03-23T00:00:00Z", "2026-04-05T23:00:00Z");
}

// The day tables (migration 16) hold exactly what the hours hold: any period, whole local days
// or not, across both clock changes, with late batches and batches sent again, gives the same
// figures read with them as from the hours alone.
TEST_F(ReadModelTest, DayTablesGiveTheFiguresOfTheHoursForAnyPeriod) {
  auto day = std::chrono::sys_days(std::chrono::year(2026) / 3 / 1);
  int seed = 0;
  std::vector<std::vector<common::Event>> batches;
  for (; day < std::chrono::sys_days(std::chrono::year(2026) / 11 / 10);
       day += std::chrono::days(3)) {
    batches.push_back(evening(common::formatTimestamp(day).substr(0, 10), ++seed));
  }
  // Every other evening first, then the rest late, as from a laptop offline for months; then
  // a few batches sent again whole.
  for (std::size_t i = 0; i < batches.size(); i += 2) send("laptop-a", batches[i]);
  for (std::size_t i = 1; i < batches.size(); i += 2) send("laptop-a", batches[i]);
  for (std::size_t i = 0; i < batches.size(); i += 5) send("laptop-a", batches[i]);
  // The clock-change weekends on the other laptop, around local and UTC midnights.
  std::int64_t weekendsAllowed = 0;
  for (const auto* when :
       {"2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"}) {
    auto weekend = evening(when, ++seed);
    weekendsAllowed += allowedIn(weekend);
    send("laptop-b", std::move(weekend));
  }

  expectSameFiguresEitherWay("2026-03-01T00:00:00Z", "2026-11-10T00:00:00Z");
  // Whole local days across the March change (23 to 5 April) and the October one.
  expectSameFiguresEitherWay("2026-03-23T00:00:00Z", "2026-04-05T23:00:00Z");
  expectSameFiguresEitherWay("2026-10-18T23:00:00Z", "2026-11-02T00:00:00Z");
  // Edges that are not whole days, UTC or local.
  expectSameFiguresEitherWay("2026-03-28T17:30:00Z", "2026-10-25T18:20:00Z");
  expectSameFiguresEitherWay("2026-03-29T00:59:59Z", "2026-03-30T23:01:00Z");
  expectSameFiguresEitherWay("2026-06-10T19:00:00Z", "2026-06-10T23:00:00Z");
  expectSameFiguresEitherWay("2026-04-02T05:00:00Z", "2026-09-17T04:00:00Z");

  // A batch sent again counts once: the period's allowed lookups, as sent.
  std::int64_t allowed = 0;
  for (const auto& batch : batches) allowed += allowedIn(batch);
  const auto figures = dashboard("2026-03-01T00:00:00Z", "2026-11-10T00:00:00Z");
  std::int64_t weekly = 0;
  for (const auto& week : figures.weeks) weekly += week.allowed;
  EXPECT_EQ(weekly, allowed + weekendsAllowed);
}

TEST_F(ReadModelTest, RetentionKeepsTheDayTablesEqualToTheHours) {
  for (const auto* when : {"2026-02-26", "2026-03-02", "2026-03-05", "2026-03-20", "2026-04-01"}) {
    send("laptop-a", evening(when, static_cast<int>(sequence_)));
  }
  // 4 March is in the middle of a span of 16 days (28 February to 15 March).
  (void)readModel_.deleteRollupsBefore(at("2026-03-04T10:00:00Z"));
  expectSameFiguresEitherWay("2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z");
  const auto figures = dashboard("2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z");
  EXPECT_EQ(figures.searches, 3) << "the evenings of 5 and 20 March and 1 April";
}

TEST_F(ReadModelTest, TheLatestSelfTestOfEachLaptopIsShownWhateverThePeriod) {
  auto failed = event(EventType::FilterSelfTest, "2026-11-03T18:00:00Z", "");
  failed.payload->set("passed", false);
  Poco::JSON::Array::Ptr failures = new Poco::JSON::Array;
  failures->add("gambling");
  failed.payload->set("failures", failures);
  send("laptop-a", {failed});
  const auto figures = dashboard("2026-11-10T00:00:00Z", "2026-11-11T00:00:00Z", 10);
  ASSERT_TRUE(figures.laptops[0].latestSelfTest.has_value());
  EXPECT_FALSE(figures.laptops[0].latestSelfTest->passed);
  EXPECT_EQ(figures.laptops[0].latestSelfTest->failures, R"(["gambling"])");
  EXPECT_FALSE(figures.laptops[1].latestSelfTest.has_value());
}

TEST_F(ReadModelTest, InUseNowListsLaptopsHeardFromRecentlyWithWhoAndWhat) {
  send("laptop-a", {simple(EventType::MemberSignIn, "2026-11-03T18:01:00Z"),
                    app("2026-11-03T18:02:00Z", 60, "firefox"),
                    dns("2026-11-03T18:04:00Z", "bet.example", "blocked", "gambling", 2),
                    dns("2026-11-03T17:00:00Z", "old.example", "blocked", "gambling", 2)});
  send("laptop-b", {heartbeat("2026-11-03T17:00:00Z")});

  const auto now = readModel_.inUseNow(at("2026-11-03T18:05:00Z"), 10min);
  ASSERT_EQ(now.size(), 1U);
  EXPECT_EQ(now[0].name, "Laptop A");
  EXPECT_EQ(now[0].member, "sam");
  EXPECT_EQ(now[0].app, "firefox");
  ASSERT_EQ(now[0].recentBlocks.size(), 1U);
  EXPECT_EQ(now[0].recentBlocks[0].domain, "bet.example");
  EXPECT_EQ(now[0].recentBlocks[0].count, 2);
}

TEST_F(ReadModelTest, RollupRetentionKeepsLaterHours) {
  send("laptop-a", {dns("2026-11-03T18:05:00Z", "bet.example", "blocked", "gambling", 3),
                    dns("2026-11-10T18:05:00Z", "bet.example", "blocked", "gambling", 5)});
  EXPECT_GT(readModel_.deleteRollupsBefore(at("2026-11-05T00:00:00Z")), 0U);
  const auto figures = dashboard("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
  EXPECT_EQ(figures.blockedByCategory.at(0).count, 5);
}

}  // namespace
}  // namespace clubsafe::collector
