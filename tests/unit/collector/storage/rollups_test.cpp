// The read model's hourly rollups: events added to their own UTC hours (late ones too), app time
// split between hours, the latest facts per laptop kept newest-first, and rollup retention.
#include "collector/storage/migrations.hpp"
#include "collector/storage/rollup_period.hpp"
#include "collector/storage/sqlite_rollups.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/Tuple.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <span>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using namespace std::chrono_literals;
using common::EventType;

common::Timestamp at(std::string_view text) {
  const auto time = common::parseTimestamp(text);
  if (!time) throw std::invalid_argument("bad test timestamp");
  return *time;
}

std::int64_t hourOf(std::string_view text) {
  return std::chrono::floor<std::chrono::hours>(at(text)).time_since_epoch().count();
}

Poco::Data::Session openDatabase(const std::string& file) {
  Poco::Data::SQLite::Connector::registerConnector();
  return {Poco::Data::SQLite::Connector::KEY, file};
}

class RollupTest : public ::testing::Test {
 protected:
  RollupTest() { applyMigrations(session_, sqliteMigrations(), at("2026-01-01T00:00:00Z")); }

  common::Event event(EventType type, std::string_view time, std::string member = "sam") {
    common::Event made;
    made.deviceId = "laptop-1";
    made.sequence = ++sequence_;
    made.time = at(time);
    made.type = type;
    made.osUser = "club";
    made.member = std::move(member);
    made.profile = "juniors";
    return made;
  }

  common::Event dns(std::string_view minute, const std::string& domain, const std::string& action,
                    const std::string& category, std::int64_t count) {
    auto made = event(EventType::DnsDecision, minute);
    made.time += 70s;  // written after its minute, as the agent does
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

  common::Event heartbeat(std::string_view time, const std::string& version) {
    auto made = event(EventType::Heartbeat, time, "");
    made.payload->set("uptime_seconds", 10);
    made.payload->set("queue_depth", 3);
    made.payload->set("agent_version", version);
    return made;
  }

  // Batches arrive after every time these tests use, unless a test says when.
  void store(const std::vector<common::Event>& events, const std::string& device = "laptop-1",
             common::Timestamp arrived = at("2026-12-31T00:00:00Z")) {
    NameIds names;
    HourlyRollup rollup(session_, device, names, arrived);
    for (const auto& each : events) rollup.add(each);
    rollup.write();
  }

  // The blocked/allowed counts of one hour by category.
  std::int64_t dnsCount(std::string_view hour, RollupAction action, const std::string& category) {
    std::int64_t total = 0;
    session_ << "SELECT COALESCE(SUM(count), 0) FROM rollup_dns WHERE hour = ? AND action = ? "
                "AND category = ?",
        db::bind(hourOf(hour)), db::bind(static_cast<int>(action)), db::bind(category),
        db::into(total), db::now;
    return total;
  }

  std::int64_t countOf(std::string_view hour, RollupCount kind) {
    std::int64_t total = 0;
    session_ << "SELECT COALESCE(SUM(count), 0) FROM rollup_counts WHERE hour = ? AND kind = ?",
        db::bind(hourOf(hour)), db::bind(static_cast<int>(kind)), db::into(total), db::now;
    return total;
  }

  std::int64_t appSeconds(std::string_view hour, const std::string& name) {
    std::int64_t total = 0;
    session_ << "SELECT COALESCE(SUM(seconds), 0) FROM rollup_apps a JOIN rollup_names n "
                "ON n.id = a.app WHERE hour = ? AND n.name = ?",
        db::bind(hourOf(hour)), db::bind(name), db::into(total), db::now;
    return total;
  }

  std::int64_t rows(const std::string& table) {
    std::int64_t total = 0;
    session_ << "SELECT COUNT(*) FROM " + table, db::into(total), db::now;
    return total;
  }

  testing::TempDir directory_;
  Poco::Data::Session session_ = openDatabase(directory_.file("collector.db"));
  std::int64_t sequence_ = 0;
};

TEST_F(RollupTest, DnsDecisionsAddUpPerHourByTheirMinuteNotWhenWritten) {
  store({dns("2026-03-10T18:59:00Z", "bet.example", "blocked", "gambling", 2),
         dns("2026-03-10T18:59:00Z", "bet.example", "blocked", "gambling", 3),
         dns("2026-03-10T19:00:00Z", "bet.example", "blocked", "gambling", 4),
         dns("2026-03-10T18:10:00Z", "bbc.co.uk", "allowed", "", 10)});
  // The 18:59 minute was written at 19:00:10, yet counts in the 18:00 hour.
  EXPECT_EQ(dnsCount("2026-03-10T18:00:00Z", RollupAction::Blocked, "gambling"), 5);
  EXPECT_EQ(dnsCount("2026-03-10T19:00:00Z", RollupAction::Blocked, "gambling"), 4);
  EXPECT_EQ(dnsCount("2026-03-10T18:00:00Z", RollupAction::Allowed, ""), 10);
  std::int64_t domainRows = 0;
  std::int64_t names = 0;
  session_ << "SELECT COUNT(*) FROM rollup_dns_domains", db::into(domainRows), db::now;
  session_ << "SELECT COUNT(*) FROM rollup_names", db::into(names), db::now;
  EXPECT_EQ(domainRows, 3);
  EXPECT_EQ(names, 2) << "each domain's name is kept once";
}

TEST_F(RollupTest, ABatchAddsToWhatEarlierBatchesStored) {
  store({dns("2026-03-10T18:05:00Z", "bet.example", "blocked", "gambling", 2)});
  store({dns("2026-03-10T18:06:00Z", "bet.example", "blocked", "gambling", 5)});
  EXPECT_EQ(dnsCount("2026-03-10T18:00:00Z", RollupAction::Blocked, "gambling"), 7);
  EXPECT_EQ(rows("rollup_dns_domains"), 1);
}

TEST_F(RollupTest, AppTimeIsSplitBetweenTheHoursItCrosses) {
  store({app("2026-03-10T18:55:00Z", 600, "firefox")});
  EXPECT_EQ(appSeconds("2026-03-10T18:00:00Z", "firefox"), 300);
  EXPECT_EQ(appSeconds("2026-03-10T19:00:00Z", "firefox"), 300);
}

TEST_F(RollupTest, EachKindOfEventIsCountedInItsHour) {
  auto login = event(EventType::Session, "2026-03-10T18:01:00Z");
  login.payload->set("action", "login");
  auto logout = event(EventType::Session, "2026-03-10T18:50:00Z");
  logout.payload->set("action", "logout");
  auto signIn = event(EventType::MemberSignIn, "2026-03-10T18:02:00Z");
  signIn.payload->set("age_band", "8-12");
  signIn.payload->set("method", "first_name");
  auto acknowledged = event(EventType::NoticeAcknowledged, "2026-03-10T18:02:00Z");
  acknowledged.payload->set("acknowledged", true);
  acknowledged.payload->set("notice_version", "v1");
  auto ignored = event(EventType::NoticeAcknowledged, "2026-03-10T18:12:00Z");
  ignored.payload->set("acknowledged", false);
  ignored.payload->set("notice_version", "v1");
  auto gap = event(EventType::OutboxGap, "2026-03-10T18:30:00Z", "");
  gap.payload->set("dropped", 40);
  gap.payload->set("reason", "outbox full");
  store({login, logout, signIn, acknowledged, ignored, gap});

  const auto hour = "2026-03-10T18:00:00Z";
  EXPECT_EQ(countOf(hour, RollupCount::Events), 6);
  EXPECT_EQ(countOf(hour, RollupCount::Logins), 1) << "a logout is no new session";
  EXPECT_EQ(countOf(hour, RollupCount::SignIns), 1);
  EXPECT_EQ(countOf(hour, RollupCount::NoticesAcknowledged), 1);
  EXPECT_EQ(countOf(hour, RollupCount::NoticesNotAcknowledged), 1);
  EXPECT_EQ(countOf(hour, RollupCount::EventsDropped), 40);
  EXPECT_EQ(countOf("2026-03-10T19:00:00Z", RollupCount::Events), 0);
}

TEST_F(RollupTest, AFoldedReportCountsAsTheReportsItStandsFor) {
  auto request = [&](std::string_view time, std::optional<std::int64_t> count) {
    auto made = event(EventType::ReviewRequest, time);
    made.payload->set("domain", "games.example");
    made.payload->set("category", "games");
    if (count) made.payload->set("count", *count);
    return made;
  };
  auto worry = event(EventType::WorryReport, "2026-03-10T18:20:00Z");
  worry.payload->set("about", "someone");
  worry.payload->set("message", "the last of several");
  worry.payload->set("count", 7);
  auto ignored = event(EventType::NoticeAcknowledged, "2026-03-10T18:25:00Z");
  ignored.payload->set("acknowledged", false);
  ignored.payload->set("notice_version", "v1");
  ignored.payload->set("count", 3);
  store({request("2026-03-10T18:01:00Z", std::nullopt), request("2026-03-10T18:10:00Z", 12),
         request("2026-03-10T18:11:00Z", -5), worry, ignored});

  EXPECT_EQ(countOf("2026-03-10T18:00:00Z", RollupCount::ReviewRequests), 1 + 12 + 1)
      << "one alone, twelve folded, a count below one read as one";
  EXPECT_EQ(countOf("2026-03-10T18:00:00Z", RollupCount::Alerts), 7);
  EXPECT_EQ(countOf("2026-03-10T18:00:00Z", RollupCount::NoticesNotAcknowledged), 3);
}

TEST_F(RollupTest, ALateBatchAddsToItsOwnHoursAndKeepsTheNewestFacts) {
  auto test = [&](std::string_view time, bool passed) {
    auto made = event(EventType::FilterSelfTest, time, "");
    made.payload->set("passed", passed);
    Poco::JSON::Array::Ptr failures = new Poco::JSON::Array;
    if (!passed) failures->add("gambling: bet.example answered");
    made.payload->set("failures", failures);
    return made;
  };
  store({heartbeat("2026-03-17T18:00:00Z", "1.2.0"), test("2026-03-17T18:00:00Z", true)});
  // A laptop offline for a week sends its older events afterwards.
  store({heartbeat("2026-03-10T18:00:00Z", "1.1.0"), test("2026-03-10T18:00:00Z", false)});

  EXPECT_EQ(countOf("2026-03-10T18:00:00Z", RollupCount::SelfTestsFailed), 1);
  EXPECT_EQ(countOf("2026-03-17T18:00:00Z", RollupCount::SelfTestsPassed), 1);
  std::string version;
  int passed = 0;
  std::int64_t lastEventAt = 0;
  session_ << "SELECT agent_version, selftest_passed, last_event_at FROM rollup_devices "
              "WHERE device_id = 'laptop-1'",
      db::into(version), db::into(passed), db::into(lastEventAt), db::now;
  EXPECT_EQ(version, "1.2.0");
  EXPECT_EQ(passed, 1);
  EXPECT_EQ(lastEventAt, at("2026-03-17T18:00:00Z").time_since_epoch().count());
}

TEST_F(RollupTest, WhoIsSignedInFollowsTheNewestSignInOrOut) {
  auto signIn = event(EventType::MemberSignIn, "2026-03-10T18:02:00Z", "alex");
  signIn.payload->set("age_band", "8-12");
  signIn.payload->set("method", "first_name");
  store({signIn, app("2026-03-10T18:03:00Z", 60, "firefox")});
  std::string member, appName;
  session_ << "SELECT member, app FROM rollup_devices", db::into(member), db::into(appName),
      db::now;
  EXPECT_EQ(member, "alex");
  EXPECT_EQ(appName, "firefox");

  store({event(EventType::MemberSignOut, "2026-03-10T18:40:00Z", "alex")});
  member.clear();
  session_ << "SELECT member FROM rollup_devices", db::into(member), db::now;
  EXPECT_EQ(member, "");
}

TEST_F(RollupTest, AFactDatedAfterItsBatchArrivedIsNotNewerThanLaterBatches) {
  auto signIn = [&](std::string_view time, const std::string& member) {
    auto made = event(EventType::MemberSignIn, time, member);
    made.payload->set("age_band", "13-17");
    made.payload->set("method", "first_name");
    return made;
  };
  // A forged batch (or a laptop whose clock is years ahead) says it is 2099.
  store({signIn("2099-01-01T00:00:00Z", "alex"), heartbeat("2099-01-01T00:00:00Z", "6.6.6"),
         app("2099-01-01T00:00:00Z", 60, "forged")},
        "laptop-1", at("2026-03-10T18:00:00Z"));
  store({signIn("2026-03-10T19:00:00Z", "sam"), heartbeat("2026-03-10T19:00:00Z", "1.2.0"),
         app("2026-03-10T19:00:00Z", 60, "firefox")},
        "laptop-1", at("2026-03-10T19:05:00Z"));

  std::string member, appName, version;
  std::int64_t lastEventAt = 0;
  session_ << "SELECT member, app, agent_version, last_event_at FROM rollup_devices",
      db::into(member), db::into(appName), db::into(version), db::into(lastEventAt), db::now;
  EXPECT_EQ(member, "sam");
  EXPECT_EQ(appName, "firefox");
  EXPECT_EQ(version, "1.2.0");
  EXPECT_EQ(lastEventAt, at("2026-03-10T19:01:00Z").time_since_epoch().count())
      << "the laptop's last event is its app interval's end, not 2099";
}

TEST_F(RollupTest, RetentionDeletesHoursBeforeTheCutoffAndForgetsWhoWasSignedIn) {
  auto signIn = event(EventType::MemberSignIn, "2026-03-10T18:02:00Z", "alex");
  signIn.payload->set("age_band", "8-12");
  signIn.payload->set("method", "first_name");
  store({signIn, dns("2026-03-10T18:05:00Z", "bet.example", "blocked", "gambling", 2),
         app("2026-03-10T18:05:00Z", 60, "firefox")});
  store({dns("2026-03-11T18:05:00Z", "bet.example", "blocked", "gambling", 3)});

  const auto deleted = deleteRollupsBefore(session_, at("2026-03-11T00:00:00Z"));
  // dns, domains, apps, and counts: events of alex and sam, alex's sign-in
  EXPECT_EQ(deleted, 1U + 1U + 1U + 3U);
  EXPECT_EQ(dnsCount("2026-03-10T18:00:00Z", RollupAction::Blocked, "gambling"), 0);
  EXPECT_EQ(dnsCount("2026-03-11T18:00:00Z", RollupAction::Blocked, "gambling"), 3);
  Poco::Nullable<std::string> member;
  session_ << "SELECT member FROM rollup_devices", db::into(member), db::now;
  EXPECT_TRUE(member.isNull());
}

TEST_F(RollupTest, DnsActionsHaveStableNumbers) {
  EXPECT_EQ(rollupActionOf("blocked"), RollupAction::Blocked);
  EXPECT_EQ(rollupActionOf("allowed"), RollupAction::Allowed);
  EXPECT_EQ(rollupActionOf("rewritten"), RollupAction::Rewritten);
  EXPECT_EQ(rollupActionOf("nxdomain"), RollupAction::NxDomain);
  EXPECT_EQ(rollupActionOf("quarantined"), RollupAction::Other);
  EXPECT_EQ(rollupActionName(RollupAction::Blocked), "blocked");
}

// Migration 16 adds up the hours that were stored before it into the very rows ingest writes.
TEST_F(RollupTest, TheDayTablesFromTheMigrationEqualThoseFromIngest) {
  auto signIn = event(EventType::MemberSignIn, "2026-03-29T23:10:00Z", "alex");
  signIn.payload->set("age_band", "8-12");
  signIn.payload->set("method", "first_name");
  store({signIn, dns("2026-03-29T23:59:00Z", "bet.example", "blocked", "gambling", 2),
         dns("2026-03-30T00:00:00Z", "bet.example", "blocked", "gambling", 3),
         app("2026-03-29T23:55:00Z", 600, "firefox"), heartbeat("2026-03-30T06:00:00Z", "1.0")});
  store({dns("2026-04-20T18:05:00Z", "bbc.co.uk", "allowed", "", 7),
         event(EventType::SearchTerm, "2026-04-20T18:06:00Z"),
         app("2026-03-30T00:20:00Z", 60, "gimp")},
        "laptop-2");
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"rollup_day_dns", "day, action, category, count"},
      {"rollup_day_dns_domains", "day, action, domain, category, count"},
      {"rollup_span_dns_domains", "span, action, domain, category, count"},
      {"rollup_day_apps", "day, app, seconds"},
      {"rollup_day_counts", "day, device_id, kind, count"},
      {"rollup_day_devices", "day, device_id, reported_hours, used_hours"}};
  const auto contents = [&] {
    std::vector<std::vector<std::string>> all;
    for (const auto& [table, columns] : tables) {
      std::vector<std::string> rowsOfTable;
      session_ << "SELECT json_array(" + columns + ") FROM " + table + " ORDER BY 1",
          db::into(rowsOfTable), db::now;
      all.push_back(rowsOfTable);
    }
    return all;
  };
  const auto fromIngest = contents();
  EXPECT_EQ(fromIngest.at(5).size(), 4U)
      << "laptop-1 on 29 and 30 March, laptop-2 on 30 March and 20 April";

  for (const auto& [table, columns] : tables) session_ << "DROP TABLE " + table, db::now;
  session_ << "DELETE FROM schema_migrations WHERE version = 16", db::now;
  EXPECT_EQ(applyMigrations(session_, sqliteMigrations(), at("2026-05-01T00:00:00Z")), 1U);
  EXPECT_EQ(contents(), fromIngest);
}

TEST(RollupPeriodTest, WholeDaysAndSpansInTheMiddleHoursAtTheEdges) {
  const auto always = [](UtcDay) { return true; };
  // Within one day: hours only.
  auto period = splitPeriod(24 * 100 + 5, 24 * 100 + 8, always);
  EXPECT_EQ(period.hours, "[2405,2406,2407]");
  EXPECT_EQ(period.days, "[]");
  // 22:00 on day 100 to 02:00 on day 103.
  period = splitPeriod(24 * 100 + 22, 24 * 103 + 2, always);
  EXPECT_EQ(period.hours, "[2422,2423,2472,2473]");
  EXPECT_EQ(period.days, "[101,102]");
  // A day the reader refuses whole is read by its hours.
  period = splitPeriod(24 * 101, 24 * 103, [](UtcDay day) { return day != 102; });
  EXPECT_EQ(period.days, "[101]");
  EXPECT_EQ(period.hours.substr(0, 10), "[2448,2449");
  EXPECT_EQ(std::count(period.hours.begin(), period.hours.end(), ','), 23);
  // Days 31 to 48: span 2 is days 32 to 47.
  period = splitPeriod(24 * 31, 24 * 49, always, true);
  EXPECT_EQ(period.spans, "[2]");
  EXPECT_EQ(period.days, "[31,48]");
  EXPECT_EQ(period.hours, "[]");
  EXPECT_EQ(splitPeriod(24 * 31, 24 * 49, always).spans, "[]") << "only when asked for";
}

TEST(RollupMigrationTest, EventsStoredBeforeTheRollupsAreAddedUpOnce) {
  testing::TempDir directory;
  auto session = openDatabase(directory.file("collector.db"));
  const auto& all = sqliteMigrations();
  const auto upToSeven = std::span(all).first(7);
  ASSERT_EQ(upToSeven.back().version, 7);
  applyMigrations(session, upToSeven, at("2026-01-01T00:00:00Z"));
  session << "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, "
             "enrolled_at) VALUES ('laptop-1', 'x', 'one', 'one', 'linux', '1.0', "
             "'2026-01-01T00:00:00.000Z')",
      db::now;
  session << R"sql(INSERT INTO events (device_id, seq, type, time, os_user, member, profile,
                   payload, received_at) VALUES
    ('laptop-1', 1, 'heartbeat', '2026-03-10T18:00:00.000Z', '', '', '', '{}', ''),
    ('laptop-1', 2, 'search_term', '2026-03-10T18:10:00.000Z', 'club', 'sam', 'juniors',
     '{"engine":"x","terms":"y","searched":"2026-03-10T18:10:00.000Z"}', ''),
    ('laptop-1', 3, 'app_usage', '2026-03-10T18:21:00.000Z', 'club', 'sam', 'juniors',
     '{"application":"firefox","seconds":60,"started":"2026-03-10T18:20:00.000Z"}', ''),
    ('laptop-1', 4, 'outbox_gap', '2026-03-10T18:30:00.000Z', '', '', '',
     '{"dropped":12,"reason":"full"}', ''))sql",
      db::now;
  session << R"sql(INSERT INTO dns_minutes VALUES
    ('laptop-1', '2026-03-10T18:05:00.000Z', 'bet.example', 'blocked', 'gambling', 'club', 'sam',
     'juniors', 4))sql",
      db::now;
  applyMigrations(session, all, at("2026-03-11T00:00:00Z"));

  const auto hour = hourOf("2026-03-10T18:00:00Z");
  using Row = Poco::Tuple<int, std::int64_t>;
  std::vector<Row> counts;
  session
      << "SELECT kind, SUM(count) FROM rollup_counts WHERE hour = ? GROUP BY kind ORDER BY kind",
      db::bind(hour), db::into(counts), db::now;
  ASSERT_EQ(counts.size(), 3U);
  EXPECT_EQ(counts[0].get<0>(), static_cast<int>(RollupCount::Events));
  EXPECT_EQ(counts[0].get<1>(), 4);
  EXPECT_EQ(counts[1].get<0>(), static_cast<int>(RollupCount::Searches));
  EXPECT_EQ(counts[2].get<0>(), static_cast<int>(RollupCount::EventsDropped));
  EXPECT_EQ(counts[2].get<1>(), 12);
  std::int64_t blocked = 0, seconds = 0, domains = 0;
  session << "SELECT count FROM rollup_dns WHERE hour = ? AND action = 2", db::bind(hour),
      db::into(blocked), db::now;
  session << "SELECT seconds FROM rollup_apps WHERE hour = ?", db::bind(hour), db::into(seconds),
      db::now;
  session << "SELECT COUNT(*) FROM rollup_dns_domains", db::into(domains), db::now;
  EXPECT_EQ(blocked, 4);
  EXPECT_EQ(seconds, 60);
  EXPECT_EQ(domains, 1);
}

// Through the real ingest: a batch sent again, or partly again, counts once.
TEST(RollupIngestTest, ABatchSentAgainCountsOnce) {
  testing::TestStorage storage;
  const auto token = common::sha256Hex("token");
  const auto now = at("2026-03-10T20:00:00Z");
  (void)storage.stores.devices.createEnrolmentToken(token, "", "test", now - 1h, now + 1h, {});
  ASSERT_TRUE(storage.stores.devices.enrolDevice(token,
                                                 {.id = "laptop-1",
                                                  .secretHash = "x",
                                                  .name = "one",
                                                  .hostname = "",
                                                  .os = "",
                                                  .agentVersion = ""},
                                                 now));
  common::Batch batch;
  batch.header = {.version = common::kBatchVersion, .deviceId = "laptop-1", .backlog = 0};
  for (std::int64_t sequence = 1; sequence <= 3; ++sequence) {
    common::Event search;
    search.deviceId = "laptop-1";
    search.sequence = sequence;
    search.time = at("2026-03-10T18:30:00Z");
    search.type = EventType::SearchTerm;
    search.payload->set("engine", "example");
    search.payload->set("terms", "homework");
    search.payload->set("searched", "2026-03-10T18:30:00Z");
    batch.events.push_back(search);
  }
  (void)storage.stores.events.storeEvents(batch, now);
  (void)storage.stores.events.storeEvents(batch, now);
  batch.events.push_back(batch.events.back());
  batch.events.back().sequence = 4;
  (void)storage.stores.events.storeEvents(batch, now);

  auto session = openDatabase(storage.file.string());
  std::int64_t searches = 0;
  session << "SELECT SUM(count) FROM rollup_counts WHERE kind = ?",
      db::bind(static_cast<int>(RollupCount::Searches)), db::into(searches), db::now;
  EXPECT_EQ(searches, 4);
}

}  // namespace
}  // namespace clubsafe::collector
