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

  testing::TestStorage storage_;
  SqliteReadModel readModel_{storage_.sqlite.database()};
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
