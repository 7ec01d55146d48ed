// The per-minute DNS table: partial dns_decision events of a minute added up as they are stored,
// once however often a batch is sent, and deleted with their events.
#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_event_store.hpp"
#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <span>
#include <tuple>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using namespace std::chrono_literals;
using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:00.000Z");
const Timestamp k1957 = at("2026-11-24T19:57:00.000Z");
const Timestamp k1958 = at("2026-11-24T19:58:00.000Z");

struct Decision {
  std::int64_t sequence;
  std::string domain;
  std::string action;
  std::string category;
  Timestamp minute;
  std::int64_t count;
  std::string member = {};
};

common::Event eventOf(const Decision& decision) {
  common::Event event;
  event.sequence = decision.sequence;
  event.time = decision.minute + 70s;  // written by a flush after the minute, as the agent does
  event.type = common::EventType::DnsDecision;
  event.member = decision.member;
  event.profile = "juniors";
  event.payload->set("domain", decision.domain);
  event.payload->set("action", decision.action);
  if (!decision.category.empty()) event.payload->set("category", decision.category);
  event.payload->set("minute", common::formatTimestamp(decision.minute));
  event.payload->set("count", decision.count);
  return event;
}

common::Batch batchOf(const std::string& deviceId, const std::vector<Decision>& decisions) {
  common::Batch batch;
  batch.header = {.version = common::kBatchVersion, .deviceId = deviceId, .backlog = 0};
  for (const auto& decision : decisions) {
    batch.events.push_back(eventOf(decision));
    batch.events.back().deviceId = deviceId;
  }
  return batch;
}

// A row as (minute, domain, action, category, member) → count, for comparing.
using Row = std::tuple<std::string, std::string, std::string, std::string, std::string>;
std::map<Row, std::int64_t> rowsOf(const std::vector<DnsMinuteRecord>& records) {
  std::map<Row, std::int64_t> rows;
  for (const auto& record : records) {
    EXPECT_EQ(record.profile, "juniors");
    const Row row{common::formatTimestamp(record.minute), record.domain, record.action,
                  record.category, record.member};
    EXPECT_FALSE(rows.contains(row)) << "one row per minute and key";
    rows[row] = record.count;
  }
  return rows;
}

void enrol(DeviceStore& devices, const std::string& deviceId) {
  const auto token = common::sha256Hex("token for " + deviceId);
  (void)devices.createEnrolmentToken(token, "", "test", kNow - 1h, kNow + 1h, {});
  ASSERT_TRUE(devices.enrolDevice(token,
                                  {.id = deviceId,
                                   .secretHash = "x",
                                   .name = deviceId,
                                   .hostname = "",
                                   .os = "",
                                   .agentVersion = ""},
                                  kNow));
}

class DnsMinutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    enrol(stores().devices, "dev_a");
    enrol(stores().devices, "dev_b");
  }

  std::map<Row, std::int64_t> minutesOf(const std::string& deviceId) {
    return rowsOf(stores().events.listDnsMinutes(deviceId, k1957 - 1h, kNow + 1h));
  }

  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
};

TEST_F(DnsMinutesTest, PartialEventsOfAMinuteAreAddedUpInOneRow) {
  (void)stores().events.storeEvents(
      batchOf("dev_a", {{1, "casino.test", "blocked", "gambling", k1957, 3},
                        {2, "a.test", "allowed", "", k1957, 5}}),
      kNow);
  (void)stores().events.storeEvents(
      batchOf("dev_a", {{3, "casino.test", "blocked", "gambling", k1957, 2},  // 10 s later
                        {4, "casino.test", "blocked", "gambling", k1958, 1},
                        {5, "casino.test", "blocked", "adult", k1957, 1},
                        {6, "a.test", "allowed", "", k1957, 4, "M-12"}}),
      kNow);
  EXPECT_EQ(stores().events.countEvents("dev_a"), 6);  // the raw events are all kept
  EXPECT_EQ(minutesOf("dev_a"),
            (std::map<Row, std::int64_t>{
                {{"2026-11-24T19:57:00.000Z", "a.test", "allowed", "", ""}, 5},
                {{"2026-11-24T19:57:00.000Z", "a.test", "allowed", "", "M-12"}, 4},
                {{"2026-11-24T19:57:00.000Z", "casino.test", "blocked", "adult", ""}, 1},
                {{"2026-11-24T19:57:00.000Z", "casino.test", "blocked", "gambling", ""}, 5},
                {{"2026-11-24T19:58:00.000Z", "casino.test", "blocked", "gambling", ""}, 1},
            }));
  EXPECT_TRUE(minutesOf("dev_b").empty());
}

TEST_F(DnsMinutesTest, ABatchSentAgainCountsOnce) {
  const auto batch = batchOf(
      "dev_a", {{1, "a.test", "allowed", "", k1957, 3}, {2, "a.test", "allowed", "", k1957, 2}});
  EXPECT_EQ(stores().events.storeEvents(batch, kNow).stored, 2u);
  // The answer was lost, so the batch is sent again.
  EXPECT_EQ(stores().events.storeEvents(batch, kNow + 5s).stored, 0u);
  // Partly known: only the new event counts.
  EXPECT_EQ(stores()
                .events
                .storeEvents(batchOf("dev_a", {{2, "a.test", "allowed", "", k1957, 2},
                                               {3, "a.test", "allowed", "", k1957, 7}}),
                             kNow + 10s)
                .stored,
            1u);
  EXPECT_EQ(minutesOf("dev_a"),
            (std::map<Row, std::int64_t>{
                {{"2026-11-24T19:57:00.000Z", "a.test", "allowed", "", ""}, 12}}));
}

TEST_F(DnsMinutesTest, DevicesKeepTheirOwnMinutesAndTheRangeEndIsLeftOut) {
  (void)stores().events.storeEvents(batchOf("dev_a", {{1, "a.test", "allowed", "", k1957, 1},
                                                      {2, "a.test", "allowed", "", k1958, 2}}),
                                    kNow);
  (void)stores().events.storeEvents(batchOf("dev_b", {{1, "a.test", "allowed", "", k1957, 4}}),
                                    kNow);
  const auto first = stores().events.listDnsMinutes("dev_a", k1957, k1958);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first.front().deviceId, "dev_a");
  EXPECT_EQ(first.front().minute, k1957);
  EXPECT_EQ(first.front().count, 1);
  EXPECT_EQ(stores().events.listDnsMinutes("dev_a", k1958, k1958 + 1min).front().count, 2);
  EXPECT_EQ(stores().events.listDnsMinutes("dev_b", k1957, kNow).front().count, 4);
}

TEST_F(DnsMinutesTest, RetentionDeletesTheMinutesWithTheirEvents) {
  (void)stores().events.storeEvents(batchOf("dev_a", {{1, "a.test", "allowed", "", k1957, 1},
                                                      {2, "a.test", "allowed", "", k1958, 2}}),
                                    kNow);
  EXPECT_EQ(stores().events.deleteEventsBefore(common::EventType::Heartbeat, kNow + 1h), 0u);
  EXPECT_EQ(minutesOf("dev_a").size(), 2u);  // another type's retention leaves them
  // A minute is read from its events, so it goes with them: written 70 s after it began.
  EXPECT_EQ(stores().events.deleteEventsBefore(common::EventType::DnsDecision, k1958), 0u);
  EXPECT_EQ(minutesOf("dev_a").size(), 2u);
  EXPECT_EQ(stores().events.deleteEventsBefore(common::EventType::DnsDecision, k1958 + 15s), 1u);
  EXPECT_EQ(minutesOf("dev_a"),
            (std::map<Row, std::int64_t>{
                {{"2026-11-24T19:58:00.000Z", "a.test", "allowed", "", ""}, 2}}));
  EXPECT_EQ(stores().events.deleteEventsBefore(common::EventType::DnsDecision, kNow), 1u);
  EXPECT_TRUE(minutesOf("dev_a").empty());
}

TEST(DnsMinutesMigration, EventsStoredBeforeTheTableAreAddedUpOnce) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    ASSERT_EQ(all.at(6).description, "DNS decisions per minute");
    (void)applyMigrations(session, std::span(all).first(6), kNow);
    session << "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, "
               "enrolled_at) VALUES ('dev_a', 'x', 'a', '', '', '', '2026-11-24T00:00:00.000Z')",
        db::now;
    session << R"sql(
INSERT INTO events (device_id, seq, type, time, os_user, member, profile, payload, received_at)
VALUES
 ('dev_a', 1, 'dns_decision', '2026-11-24T19:58:02.000Z', '', '', 'juniors',
  '{"action":"blocked","category":"gambling","count":3,"domain":"casino.test","minute":"2026-11-24T19:57:00.000Z"}',
  '2026-11-24T19:58:03.000Z'),
 ('dev_a', 2, 'dns_decision', '2026-11-24T19:58:12.000Z', '', '', 'juniors',
  '{"action":"blocked","category":"gambling","count":4,"domain":"casino.test","minute":"2026-11-24T19:57:00.000Z"}',
  '2026-11-24T19:58:13.000Z'),
 ('dev_a', 3, 'dns_decision', '2026-11-24T19:58:12.000Z', '', '', 'juniors',
  '{"action":"allowed","count":1,"domain":"a.test","minute":"2026-11-24T19:57:00.000Z"}',
  '2026-11-24T19:58:13.000Z'),
 ('dev_a', 4, 'heartbeat', '2026-11-24T19:58:12.000Z', '', '', 'juniors', '{}',
  '2026-11-24T19:58:13.000Z'))sql",
        db::now;
  }
  SqliteDatabase database(file);  // applies migration 7 and those after it
  SqliteEventStore events(database);
  EXPECT_EQ(rowsOf(events.listDnsMinutes("dev_a", k1957, kNow)),
            (std::map<Row, std::int64_t>{
                {{"2026-11-24T19:57:00.000Z", "a.test", "allowed", "", ""}, 1},
                {{"2026-11-24T19:57:00.000Z", "casino.test", "blocked", "gambling", ""}, 7}}));
}

}  // namespace
}  // namespace clubsafe::collector
