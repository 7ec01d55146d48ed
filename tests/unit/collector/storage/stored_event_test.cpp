// How events are kept (migration 13): every payload field comes back whole, hostile text
// included; the stored type numbers agree with the event_types table; and events stored before
// the migration read back as they were sent.
#include "collector/storage/stored_event.hpp"
#include "collector/storage/event_query.hpp"
#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_event_query.hpp"
#include "collector/storage/sqlite_event_store.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_statement.hpp"
#include "tests/unit/collector/storage/store_test.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Tuple.h>
#include <gtest/gtest.h>

#include <span>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using common::EventType;
using store_test::expectSameJson;
using testing::at;

common::Event eventWith(EventType type, const std::string& payloadJson) {
  common::Event event;
  event.type = type;
  event.payload = Poco::JSON::Parser().parse(payloadJson).extract<Poco::JSON::Object::Ptr>();
  return event;
}

TEST(StoredEventTest, ADnsDecisionKeepsNoJsonAndComesBackWhole) {
  const std::string sent =
      R"({"domain":"casino.test","action":"blocked","category":"gambling","count":3,)"
      R"("minute":"2026-11-24T19:57:00.000Z"})";
  const auto stored = toStoredEvent(eventWith(EventType::DnsDecision, sent));
  EXPECT_EQ(stored.site, "casino.test");
  EXPECT_EQ(stored.category, "gambling");
  EXPECT_EQ(stored.action, "blocked");
  EXPECT_EQ(stored.amount, 3);
  EXPECT_EQ(stored.moment, at("2026-11-24T19:57:00Z"));
  EXPECT_EQ(stored.payload, "");
  expectSameJson(restoredPayload(EventType::DnsDecision, stored), sent);
}

TEST(StoredEventTest, HostileTextAndFieldsThatDoNotFitAColumnComeBackUnchanged) {
  const std::string sent =
      R"({"application":"\"><img src=x onerror=alert(1)>\u202e","seconds":60,)"
      R"("started":"not a time","title":"<script>\"quoted\" \\ back</script>"})";
  const auto stored = toStoredEvent(eventWith(EventType::AppUsage, sent));
  EXPECT_EQ(stored.app, "\"><img src=x onerror=alert(1)>\u202e");
  EXPECT_FALSE(stored.moment.has_value());  // stays in the payload as sent
  expectSameJson(restoredPayload(EventType::AppUsage, stored), sent);

  const std::string emptyCategory =
      R"({"domain":"a.test","action":"allowed","category":"","count":1,"minute":"x"})";
  expectSameJson(restoredPayload(EventType::DnsDecision,
                                 toStoredEvent(eventWith(EventType::DnsDecision, emptyCategory))),
                 emptyCategory);
}

TEST(StoredEventTest, ArraysAndNumbersOfOtherTypesStayInThePayload) {
  const std::string sent = R"({"count":1,"reason":"unreadable","sequences":["61","62"]})";
  const auto stored = toStoredEvent(eventWith(EventType::Rejected, sent));
  EXPECT_FALSE(stored.amount.has_value());
  expectSameJson(restoredPayload(EventType::Rejected, stored), sent);
}

TEST(StoredEventTest, AHeartbeatKeepsNoJsonAndAVisitItsTimeAsAColumn) {
  const std::string heartbeat =
      R"({"agent_version":"0.9.1","queue_depth":12,"uptime_seconds":3600})";
  auto sent = eventWith(EventType::Heartbeat, heartbeat);
  sent.time = at("2026-03-10T18:10:00.250Z");
  const auto stored = toStoredEvent(sent);
  EXPECT_EQ(stored.app, "0.9.1");
  EXPECT_EQ(stored.amount, 12);
  EXPECT_EQ(stored.moment, at("2026-03-10T17:10:00.250Z"));  // when the agent started
  EXPECT_EQ(stored.payload, "");
  expectSameJson(restoredPayload(EventType::Heartbeat, stored), heartbeat);
  // An uptime that is no whole number of seconds from now to a century stays as sent.
  for (const std::string uptime : {"-1", "1.5", "\"1\"", "9999999999"}) {
    const auto odd =
        R"({"agent_version":"0.9.1","queue_depth":12,"uptime_seconds":)" + uptime + "}";
    const auto kept = toStoredEvent(eventWith(EventType::Heartbeat, odd));
    EXPECT_FALSE(kept.moment.has_value()) << uptime;
    EXPECT_NE(kept.payload.find("uptime_seconds"), std::string::npos) << uptime;
    expectSameJson(restoredPayload(EventType::Heartbeat, kept), odd);
  }

  const std::string visit =
      R"({"browser":"firefox","url":"https://a.test/","visited":"2026-03-10T18:10:00.250Z"})";
  const auto visited = toStoredEvent(eventWith(EventType::BrowserVisit, visit));
  EXPECT_EQ(visited.moment, at("2026-03-10T18:10:00.250Z"));
  EXPECT_EQ(visited.payload.find("visited"), std::string::npos);
  expectSameJson(restoredPayload(EventType::BrowserVisit, visited), visit);
}

TEST(StoredEventTest, AVisitsSiteIsItsUrlsHost) {
  const auto stored = toStoredEvent(eventWith(
      EventType::BrowserVisit,
      R"({"browser":"firefox","url":"https://Kid@WWW.Example.COM.:8443/a?b#c","visited":"x"})"));
  EXPECT_EQ(stored.site, "www.example.com");
  EXPECT_NE(stored.payload.find("Kid@WWW"), std::string::npos);  // the URL itself stays
  EXPECT_EQ(hostOfUrl("http://[::1]:80/"), "[::1]");
  EXPECT_EQ(hostOfUrl("http://[::1]/"), "[::1]");
  EXPECT_EQ(hostOfUrl("about:blank"), "");
  EXPECT_EQ(hostOfUrl("file:///home/sam/a.html"), "");
}

TEST(StoredEventTest, TypeNumbersAgreeWithTheEventTypesTable) {
  testing::TestStorage storage;
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, storage.file.string());
  for (const auto& info : common::allEventTypes()) {
    std::string name;
    session << "SELECT name FROM event_types WHERE code = ?", db::bind(storedTypeCode(info.type)),
        db::into(name), db::now;
    EXPECT_EQ(name, info.name);
    EXPECT_EQ(typeOfStoredCode(storedTypeCode(info.type)), info.type);
  }
  EXPECT_FALSE(typeOfStoredCode(0).has_value());
  EXPECT_FALSE(typeOfStoredCode(1000).has_value());
}

// Migration 21's partial indexes: the explorer's hold exactly the types it shows, and every type
// is in the time index or the type index, so each type's reads by time have an index.
TEST(StoredEventTest, ThePartialIndexTermsListTheRightTypes) {
  const auto listed = [](std::string_view term, common::EventType type) {
    const auto left = "type <> " + std::to_string(storedTypeCode(type));
    return term.find(left + " ") != std::string_view::npos || term.ends_with(left);
  };
  for (const auto& info : common::allEventTypes()) {
    EXPECT_EQ(listed(kExplorerIndexesTerm, info.type), !shownInExplorer(info.type)) << info.name;
    const auto term = timeOrderTermFor(info.type);
    EXPECT_FALSE(listed(term, info.type)) << info.name << " is in no index of its time";
  }
  EXPECT_EQ(withAlias(kTypeIndexTerm, "e"), "e.type <> 3 AND e.type <> 4 AND e.type <> 5");
}

class StoredEventStoreTest : public store_test::StoreTest {};

TEST_F(StoredEventStoreTest, TheTextViewGivesEveryPayloadBackWhole) {
  enrol("laptop-1");
  const std::vector<std::pair<EventType, std::string>> sent{
      {EventType::DnsDecision, R"({"action":"allowed","category":"","count":2,"domain":"a.test",)"
                               R"("minute":"2026-01-01T10:00:00.000Z"})"},
      {EventType::Rejected, R"({"count":1,"reason":"bad","sequences":["61"]})"},
      {EventType::Heartbeat, R"({"agent_version":"0.9.1","queue_depth":0,"uptime_seconds":5})"},
      {EventType::BrowserVisit, R"({"browser":"firefox","title":"t","url":"https://a.test/",)"
                                R"("visited":"2026-01-01T10:00:30.125Z"})"},
      {EventType::SafeguardingAlert,
       R"({"category":"self-harm","context":"c","phrase":"p","severity":4,"source":"s"})"},
  };
  common::Batch batch{.header = {.version = common::kBatchVersion, .deviceId = "laptop-1"},
                      .events = {}};
  for (const auto& [type, payload] : sent) {
    auto event = eventWith(type, payload);
    event.deviceId = "laptop-1";
    event.sequence = static_cast<std::int64_t>(batch.events.size()) + 1;
    event.time = at("2026-01-01T10:01:00Z");
    batch.events.push_back(event);
  }
  (void)stores().events.storeEvents(batch, at("2026-01-01T10:02:00Z"));

  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, test_.file.string());
  std::vector<std::string> payloads;
  session << "SELECT payload FROM events_as_text ORDER BY seq", db::into(payloads), db::now;
  ASSERT_EQ(payloads.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) expectSameJson(payloads[i], sent[i].second);
}

TEST(StoredEventMigrationTest, EventsStoredBeforeReadBackAsTheyWereSent) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  const std::string visit =
      R"({"browser":"chromium","title":"<b>x</b>","url":"https://Chat.Example/room","visited":"v"})";
  const std::string dns =
      R"({"action":"blocked","category":"gambling","count":4,"domain":"bet.example",)"
      R"("minute":"2026-03-10T18:05:00.000Z"})";
  const std::string app =
      R"({"application":"firefox","seconds":60,"started":"2026-03-10T18:20:00.000Z"})";
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    const auto before = std::ranges::find(all, 13, &Migration::version) - all.begin();
    (void)applyMigrations(session, std::span(all).first(static_cast<std::size_t>(before)),
                          at("2026-01-01T00:00:00Z"));
    session << "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, "
               "enrolled_at) VALUES ('laptop-1', 'x', 'One', '', '', '', "
               "'2026-01-01T00:00:00.000Z')",
        db::now;
    session << "INSERT INTO events (device_id, seq, type, time, os_user, member, profile, "
               "payload, received_at) VALUES "
               "('laptop-1', 1, 'browser_visit', '2026-03-10T18:10:00.000Z', 'club', 'sam', "
               "'juniors', ?, '2026-03-10T18:10:01.000Z'), "
               "('laptop-1', 2, 'dns_decision', '2026-03-10T18:06:10.000Z', 'club', '', "
               "'juniors', ?, '2026-03-10T18:10:01.000Z'), "
               "('laptop-1', 3, 'app_usage', '2026-03-10T18:21:00.000Z', 'club', 'sam', "
               "'juniors', ?, '2026-03-10T18:21:02.000Z')",
        db::bind(visit), db::bind(dns), db::bind(app), db::now;
  }
  SqliteDatabase database(file);  // applies migration 13 and those after it
  SqliteEventQuery explorer(database);
  const auto page = explorer.listEvents({}, std::nullopt, 10);
  ASSERT_EQ(page.events.size(), 3U);
  EXPECT_EQ(page.events[0].type, "app_usage");
  EXPECT_EQ(page.events[0].app, "firefox");
  EXPECT_EQ(page.events[0].time, at("2026-03-10T18:21:00Z"));
  expectSameJson(page.events[0].payload, app);
  EXPECT_EQ(page.events[1].site, "chat.example");
  EXPECT_EQ(page.events[1].member, "sam");
  EXPECT_EQ(page.events[1].deviceName, "One");
  expectSameJson(page.events[1].payload, visit);
  EXPECT_EQ(page.events[2].category, "gambling");
  EXPECT_EQ(page.events[2].member, "");
  expectSameJson(page.events[2].payload, dns);

  EXPECT_EQ(explorer.listEvents({.site = "bet.example"}, std::nullopt, 10).events.size(), 1U);
  EXPECT_EQ(explorer.listEvents({.member = "sam"}, std::nullopt, 10).events.size(), 2U);
  SqliteEventStore events(database);
  EXPECT_EQ(
      events.listDnsMinutes("laptop-1", at("2026-03-10T18:00:00Z"), at("2026-03-11T00:00:00Z"))
          .at(0)
          .count,
      4);
}

// Migration 25 moves a heartbeat's agent version and queue depth and a visit's time into
// columns where toStoredEvent would have put them, and leaves in the payload what does not fit.
TEST(StoredEventMigrationTest, HeartbeatsAndVisitsStoredBeforeKeepEveryField) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  const std::vector<std::pair<int, std::string>> sent{
      {1, R"({"agent_version":"0.9.1","queue_depth":12,"uptime_seconds":3600})"},
      {1, R"({"agent_version":"","queue_depth":1.5,"uptime_seconds":1})"},
      {5, R"({"browser":"firefox","url":"https://a.test/","visited":"2026-03-10T18:10:00.250Z"})"},
      {5, R"({"browser":"firefox","url":"https://a.test/","visited":"not a time"})"},
      {5, R"({"browser":"firefox","url":"https://a.test/","visited":"2026-03-10T18:10:01Z"})"},
  };
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    const auto before = std::ranges::find(all, 25, &Migration::version) - all.begin();
    (void)applyMigrations(session, std::span(all).first(static_cast<std::size_t>(before)),
                          at("2026-01-01T00:00:00Z"));
    session << "INSERT INTO rollup_names (name) VALUES ('laptop-1')", db::now;
    for (std::size_t i = 0; i < sent.size(); ++i) {
      session << "INSERT INTO events (device, seq, time, type, payload, received_at) "
                 "VALUES ((SELECT id FROM rollup_names WHERE name = 'laptop-1'), ?, 0, ?, ?, 0)",
          db::bind(static_cast<int>(i) + 1), db::bind(sent[i].first), db::bind(sent[i].second),
          db::now;
    }
  }
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
  const auto& all = sqliteMigrations();
  const auto through25 = std::ranges::find(all, 25, &Migration::version) - all.begin() + 1;
  (void)applyMigrations(session, std::span(all).first(static_cast<std::size_t>(through25)),
                        at("2026-01-01T00:00:00Z"));
  std::vector<std::string> payloads;
  std::vector<Poco::Nullable<Poco::Int64>> amounts, moments;
  std::vector<std::string> stayed;
  session << "SELECT t.payload, e.amount, e.moment, COALESCE(e.payload, '') FROM events e "
             "JOIN events_as_text t ON t.seq = e.seq ORDER BY e.seq",
      db::into(payloads), db::into(amounts), db::into(moments), db::into(stayed), db::now;
  ASSERT_EQ(payloads.size(), sent.size());
  for (std::size_t i = 0; i < 4; ++i) expectSameJson(payloads[i], sent[i].second);
  // Read back as a time with milliseconds, as the explorer gives back one sent so today.
  expectSameJson(payloads[4], R"({"browser":"firefox","url":"https://a.test/",)"
                              R"("visited":"2026-03-10T18:10:01.000Z"})");
  EXPECT_EQ(stayed[0], R"({"uptime_seconds":3600})");
  EXPECT_EQ(amounts[0].value(), 12);
  EXPECT_TRUE(amounts[1].isNull());  // 1.5 is no whole number: it stays
  EXPECT_NE(stayed[1].find("agent_version"), std::string::npos);
  EXPECT_EQ(sqlite::timeFromMilliseconds(moments[2].value()), at("2026-03-10T18:10:00.250Z"));
  EXPECT_TRUE(moments[3].isNull());
  EXPECT_NE(stayed[3].find("not a time"), std::string::npos);
  EXPECT_EQ(sqlite::timeFromMilliseconds(moments[4].value()), at("2026-03-10T18:10:01Z"));
}

TEST(PreparedStatementTest, ErrorsSayWhatFailedAndTheStatementCanRunAgain) {
  testing::TempDir directory;
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY,
                              (directory.path() / "statement.db").string());
  session << "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", db::now;
  EXPECT_THROW(sqlite::PreparedStatement(session, "INSERT INTO missing VALUES (1)"),
               std::runtime_error);

  sqlite::PreparedStatement insert(session, "INSERT INTO t (id, name) VALUES (?, ?)");
  insert.bind(1, std::int64_t{1});
  insert.bindNull(2);
  try {
    (void)insert.run();
    ADD_FAILURE() << "a NULL name was stored";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("NOT NULL"), std::string::npos) << error.what();
  }
  insert.bind(2, std::string_view("\"quoted\" \u202e text"));
  EXPECT_EQ(insert.run(), 1U);
  std::string name;
  session << "SELECT name FROM t WHERE id = 1", db::into(name), db::now;
  EXPECT_EQ(name, "\"quoted\" \u202e text");
}

}  // namespace
}  // namespace clubsafe::collector
