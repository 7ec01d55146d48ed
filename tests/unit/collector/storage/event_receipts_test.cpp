// Migration 26: a batch's arrival kept once per batch (event_receipts) and a heartbeat's uptime
// as its agent's start. Every event reads back through events_as_text as before, whether stored
// before the migration or after it, with resent batches and gaps in the sequence numbers.
#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_database.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <span>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;
using testing::at;

struct TextRow {
  std::int64_t seq = 0;
  std::string payload;
  std::string receivedAt;
};

std::vector<TextRow> eventsAsText(Poco::Data::Session& session) {
  std::vector<Poco::Int64> seqs;
  std::vector<std::string> payloads;
  std::vector<std::string> received;
  session << "SELECT seq, payload, received_at FROM events_as_text ORDER BY seq", db::into(seqs),
      db::into(payloads), db::into(received), db::now;
  std::vector<TextRow> rows;
  for (std::size_t i = 0; i < seqs.size(); ++i) rows.push_back({seqs[i], payloads[i], received[i]});
  return rows;
}

std::int64_t countOf(Poco::Data::Session& session, const std::string& sql) {
  Poco::Int64 count = 0;
  session << sql, db::into(count), db::now;
  return count;
}

TEST(EventReceiptsMigrationTest, EventsStoredBeforeKeepTheirArrivalAndUptime) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  // Sequences 1-3 arrived at 1,000 ms, 4 and 6 (5 never came) at 2,000 ms, 7 at 1,000 ms again.
  const std::vector<std::tuple<int, int, std::string, int>> sent{
      {1, 1, R"({"agent_version":"0.9.1","queue_depth":1,"uptime_seconds":3600})", 1000},
      {2, 1, R"({"agent_version":"0.9.1","queue_depth":1,"uptime_seconds":-5})", 1000},
      {3, 1, R"({"agent_version":"0.9.1","queue_depth":1,"uptime_seconds":1.5})", 1000},
      {4, 1, R"({"agent_version":"0.9.1","uptime_seconds":9999999999})", 2000},
      {6, 6, R"({"terms":"x","engine":"e"})", 2000},
      {7, 1, R"({"uptime_seconds":0})", 1000},
  };
  std::vector<TextRow> before;
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    const auto upTo26 = std::ranges::find(all, 26, &Migration::version) - all.begin();
    (void)applyMigrations(session, std::span(all).first(static_cast<std::size_t>(upTo26)),
                          at("2026-01-01T00:00:00Z"));
    session << "INSERT INTO rollup_names (name) VALUES ('laptop-1')", db::now;
    for (const auto& [seq, type, payload, receivedAt] : sent) {
      session << "INSERT INTO events (device, seq, time, type, payload, received_at) VALUES "
                 "((SELECT id FROM rollup_names WHERE name = 'laptop-1'), ?, 7200000, ?, ?, ?)",
          db::bind(seq), db::bind(type), db::bind(payload), db::bind(receivedAt), db::now;
    }
    before = eventsAsText(session);
  }
  SqliteDatabase database(file);  // applies migration 26
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
  const auto after = eventsAsText(session);
  ASSERT_EQ(after.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(after[i].seq, before[i].seq);
    expectSameJson(after[i].payload, before[i].payload);
    EXPECT_EQ(after[i].receivedAt, before[i].receivedAt) << "sequence " << after[i].seq;
  }
  EXPECT_EQ(after[3].receivedAt, "1970-01-01T00:00:02.000Z");
  // Runs of consecutive sequences received together: 1-3, 4, 6, 7.
  EXPECT_EQ(countOf(session, "SELECT COUNT(*) FROM event_receipts"), 4);
  EXPECT_EQ(countOf(session,
                    "SELECT COUNT(*) FROM pragma_table_info('events') "
                    "WHERE name = 'received_at'"),
            0);
  // Only the uptimes that fit moved: 3600 and 0 seconds.
  EXPECT_EQ(countOf(session, "SELECT COUNT(*) FROM events WHERE type = 1 AND moment IS NOT NULL"),
            2);
  EXPECT_EQ(countOf(session, "SELECT moment FROM events WHERE seq = 1"), 7200000 - 3600000);
  EXPECT_EQ(countOf(session, "SELECT COUNT(*) FROM events WHERE seq = 7 AND payload IS NULL"), 1);
}

class EventReceiptsTest : public StoreTest {
 protected:
  void store(std::vector<std::int64_t> sequences, common::Timestamp now) {
    std::vector<common::Event> events;
    for (const auto seq : sequences) events.push_back(heartbeat(seq, kNow));
    (void)stores().events.storeEvents(batchOf("dev_a", 0, std::move(events)), now);
  }
};

TEST_F(EventReceiptsTest, EachEventKeepsTheArrivalOfTheBatchThatAddedIt) {
  enrol("dev_a");
  store({1, 2, 3}, at("2026-03-10T18:00:00Z"));
  store({2, 3, 4, 5}, at("2026-03-10T18:01:00Z"));  // 2 and 3 sent again
  store({7, 9}, at("2026-03-10T18:02:00Z"));        // 6 and 8 come later
  store({8, 6}, at("2026-03-10T18:03:00Z"));
  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, test_.file.string());
  const auto rows = eventsAsText(session);
  const std::vector<std::string> expected{
      "2026-03-10T18:00:00.000Z", "2026-03-10T18:00:00.000Z", "2026-03-10T18:00:00.000Z",
      "2026-03-10T18:01:00.000Z", "2026-03-10T18:01:00.000Z", "2026-03-10T18:03:00.000Z",
      "2026-03-10T18:02:00.000Z", "2026-03-10T18:03:00.000Z", "2026-03-10T18:02:00.000Z"};
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].receivedAt, expected[i]) << "sequence " << rows[i].seq;
    expectSameJson(rows[i].payload, R"({"agent_version":"0.1.0","queue_depth":0,)"
                                    R"("uptime_seconds":60})");
  }
  // 1-3, 4-5, 7, 9, 6, 8: a row per run of consecutive sequences a batch added.
  EXPECT_EQ(countOf(session, "SELECT COUNT(*) FROM event_receipts"), 6);

  // Retention takes the arrivals with the last of their events.
  (void)stores().events.deleteEventsBefore(common::EventType::Heartbeat, kNow + 1h);
  EXPECT_EQ(countOf(session, "SELECT COUNT(*) FROM event_receipts"), 0);
}

}  // namespace
}  // namespace clubsafe::collector::store_test
