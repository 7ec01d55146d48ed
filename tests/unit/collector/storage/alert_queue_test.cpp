#include "collector/storage/migrations.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <algorithm>
#include <span>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

common::Event alertEvent(std::int64_t sequence, Timestamp time, int severity,
                         const std::string& phrase) {
  common::Event event;
  event.sequence = sequence;
  event.time = time;
  event.type = common::EventType::SafeguardingAlert;
  event.osUser = "club";
  event.member = "m-17";
  event.payload->set("category", "self_harm");
  event.payload->set("severity", severity);
  event.payload->set("phrase", phrase);
  event.payload->set("context", "how to " + phrase + " <script>alert(1)</script>");
  event.payload->set("source", "search");
  event.payload->set("rule", "self_harm: " + phrase);
  event.payload->set("matched", phrase);
  event.payload->set("why", "the phrase matched");
  return event;
}

common::Event worryReport(std::int64_t sequence, Timestamp time) {
  common::Event event;
  event.sequence = sequence;
  event.time = time;
  event.type = common::EventType::WorryReport;
  event.osUser = "club";
  event.payload->set("about", "someone online");
  event.payload->set("message", "they keep messaging me");
  return event;
}

class AlertQueueTest : public StoreTest {
 protected:
  void SetUp() override { enrol("dev_a"); }

  void store(std::vector<common::Event> events) {
    (void)stores().events.storeEvents(batchOf("dev_a", 0, std::move(events)), kNow);
  }

  AlertQueue& queue() { return stores().alertQueue; }

  std::vector<std::int64_t> ids(const AlertListFilter& filter = {}) {
    std::vector<std::int64_t> found;
    for (const auto& alert : queue().listAlerts(filter, 100, 0)) found.push_back(alert.id);
    return found;
  }

  std::int64_t idOfSequence(std::int64_t sequence) {
    for (const auto& alert : queue().listAlerts({}, 100, 0)) {
      if (alert.sequence == sequence) return alert.id;
    }
    throw std::logic_error("no alert for that sequence");
  }

  AlertState stateOf(std::int64_t id) { return queue().alertDetail(id)->summary.state; }

  // Runs raw SQL on the file, as someone with the sqlite3 shell would.
  void runSql(const std::string& sql) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, test_.file.string());
    session << sql, db::now;
  }
};

TEST_F(AlertQueueTest, EveryAlertAndWorryReportIsQueuedBySeverityThenAge) {
  store({alertEvent(1, kNow - 3h, 3, "a"), alertEvent(2, kNow - 2h, 5, "b"),
         alertEvent(3, kNow - 4h, 5, "c"), worryReport(4, kNow - 1h), heartbeat(5, kNow)});
  // Sent again, as an agent does after a lost answer: no second case.
  store({alertEvent(1, kNow - 3h, 3, "a")});

  const auto alerts = queue().listAlerts({}, 100, 0);
  std::vector<std::int64_t> sequences;
  for (const auto& alert : alerts) sequences.push_back(alert.sequence);
  EXPECT_EQ(sequences, (std::vector<std::int64_t>{3, 2, 4, 1}));  // worry counts as 5
  EXPECT_EQ(alerts[2].kind, AlertKind::Worry);
  EXPECT_EQ(alerts[0].laptop, "Laptop dev_a");
  EXPECT_EQ(alerts[0].member, "m-17");
  EXPECT_EQ(alerts[0].osUser, "club");
  EXPECT_EQ(alerts[0].state, AlertState::New);
  EXPECT_EQ(queue().listAlerts({}, 2, 1).size(), 2u);
  EXPECT_EQ(queue().listAlerts({}, 2, 1)[0].sequence, 2);
}

TEST_F(AlertQueueTest, DetailCarriesTheEventsWordsAndHistory) {
  store({alertEvent(1, kNow - 1h, 4, "hurt myself")});
  const auto id = idOfSequence(1);
  queue().acknowledge(id, "dana", kNow);
  const auto detail = queue().alertDetail(id);
  ASSERT_TRUE(detail);
  EXPECT_NE(detail->payload.find("\"matched\":\"hurt myself\""), std::string::npos);
  EXPECT_NE(detail->payload.find("<script>"), std::string::npos);  // stored as sent
  EXPECT_EQ(detail->history, (std::vector<AlertHistoryEntry>{
                                 {kNow, "dana", AlertState::New, AlertState::Acknowledged, ""}}));
  EXPECT_FALSE(queue().alertDetail(id + 100));
}

TEST_F(AlertQueueTest, StatesMoveForwardOnlyAndEachChangeIsInTheHistory) {
  store({alertEvent(1, kNow - 1h, 4, "a"), alertEvent(2, kNow - 1h, 4, "b")});
  const auto first = idOfSequence(1);
  const auto second = idOfSequence(2);

  queue().assign(first, "dana", "sam", kNow);
  queue().acknowledge(first, "dana", kNow + 1min);
  EXPECT_THROW(queue().acknowledge(first, "dana", kNow + 2min), AlertChangeRefused);
  queue().markEscalated(first, 7, "dana");
  queue().markEscalated(first, 7, "dana");  // the same incident again: nothing changes
  EXPECT_THROW(queue().markEscalated(first, 8, "dana"), AlertChangeRefused);
  EXPECT_THROW(queue().close(first, AlertState::ClosedNoConcern, "fine", "dana", kNow),
               AlertChangeRefused);

  const auto detail = queue().alertDetail(first);
  EXPECT_EQ(detail->summary.state, AlertState::Escalated);
  EXPECT_EQ(detail->summary.incidentId, 7);
  EXPECT_EQ(detail->summary.assignedTo, "dana");
  ASSERT_EQ(detail->history.size(), 3u);
  EXPECT_EQ(detail->history[0].note, "assigned to dana");
  EXPECT_EQ(detail->history[2].to, AlertState::Escalated);
  EXPECT_EQ(detail->history[2].note, "incident 7");

  queue().close(second, AlertState::ClosedNoConcern, "homework on a novel", "dana", kNow);
  EXPECT_THROW(queue().markEscalated(second, 7, "dana"), AlertChangeRefused);
  EXPECT_THROW(queue().assign(second, "sam", "dana", kNow), AlertChangeRefused);
  EXPECT_THROW(queue().acknowledge(second, "dana", kNow), AlertChangeRefused);
  EXPECT_EQ(stateOf(second), AlertState::ClosedNoConcern);

  EXPECT_EQ(ids({.state = AlertState::Escalated}), std::vector<std::int64_t>{first});
  EXPECT_EQ(ids({.assignedTo = "dana"}), std::vector<std::int64_t>{first});
}

TEST_F(AlertQueueTest, AClosedAlertIsReopenedWithAReasonAndTheHistoryKeepsTheClose) {
  store({alertEvent(1, kNow - 1h, 4, "a"), alertEvent(2, kNow - 1h, 4, "b")});
  const auto closed = idOfSequence(1);
  const auto open = idOfSequence(2);
  queue().close(closed, AlertState::ClosedFalsePositive, "a game's name", "dana", kNow);
  EXPECT_EQ(queue().falsePositiveCounts().front().falsePositives, 1);

  for (const std::string blank : {"", "  \n"}) {
    try {
      queue().reopen(closed, blank, "sam", kNow + 1h);
      ADD_FAILURE() << "a blank reason was accepted";
    } catch (const AlertChangeRefused& refused) {
      EXPECT_EQ(refused.reason(), AlertChangeRefused::Reason::MissingReason);
    }
  }
  EXPECT_EQ(stateOf(closed), AlertState::ClosedFalsePositive);
  queue().reopen(closed, "a friend says it was not a game", "sam", kNow + 1h);
  EXPECT_EQ(stateOf(closed), AlertState::Acknowledged);
  EXPECT_EQ(queue().falsePositiveCounts().front().falsePositives, 0);
  EXPECT_EQ(queue().alertDetail(closed)->history,
            (std::vector<AlertHistoryEntry>{
                {kNow, "dana", AlertState::New, AlertState::ClosedFalsePositive, "a game's name"},
                {kNow + 1h, "sam", AlertState::ClosedFalsePositive, AlertState::Acknowledged,
                 "a friend says it was not a game"}}));
  queue().markEscalated(closed, 7, "sam");  // open again: it can go on to an incident

  for (const auto id : {open, closed}) {
    try {
      queue().reopen(id, "why", "sam", kNow);
      ADD_FAILURE() << "an alert that is not closed was reopened";
    } catch (const AlertChangeRefused& refused) {
      EXPECT_EQ(refused.reason(), AlertChangeRefused::Reason::WrongState);
    }
  }
  EXPECT_TRUE(queue().alertDetail(open)->history.empty());
}

TEST_F(AlertQueueTest, ClosingWithoutAReasonIsRefusedAndChangesNothing) {
  store({alertEvent(1, kNow - 1h, 4, "a")});
  const auto id = idOfSequence(1);
  for (const std::string blank : {"", "   ", "\n\t"}) {
    try {
      queue().close(id, AlertState::ClosedFalsePositive, blank, "dana", kNow);
      ADD_FAILURE() << "a blank reason was accepted";
    } catch (const AlertChangeRefused& refused) {
      EXPECT_EQ(refused.reason(), AlertChangeRefused::Reason::MissingReason);
    }
  }
  EXPECT_THROW(queue().close(id, AlertState::Acknowledged, "why", "dana", kNow),
               AlertChangeRefused);
  EXPECT_EQ(stateOf(id), AlertState::New);
  EXPECT_TRUE(queue().alertDetail(id)->history.empty());
  try {
    queue().close(id + 100, AlertState::ClosedNoConcern, "why", "dana", kNow);
    ADD_FAILURE() << "an alert that does not exist was closed";
  } catch (const AlertChangeRefused& refused) {
    EXPECT_EQ(refused.reason(), AlertChangeRefused::Reason::NotFound);
  }
}

TEST_F(AlertQueueTest, HistoryAndCasesCannotBeChangedOrDeletedEvenByHand) {
  store({alertEvent(1, kNow - 1h, 4, "a")});
  const auto id = idOfSequence(1);
  queue().close(id, AlertState::ClosedNoConcern, "fine", "dana", kNow);
  EXPECT_ANY_THROW(runSql("UPDATE alert_history SET note = 'changed'"));
  EXPECT_ANY_THROW(runSql("DELETE FROM alert_history"));
  EXPECT_ANY_THROW(runSql("DELETE FROM alert_cases"));
  EXPECT_EQ(queue().alertDetail(id)->history.front().note, "fine");

  // Retention deletes the event; the case, whose it was and its history stay, without the words.
  runSql("DELETE FROM events");
  const auto detail = queue().alertDetail(id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->payload, "");
  EXPECT_EQ(detail->summary.member, "m-17");
  EXPECT_EQ(detail->summary.osUser, "club");
  EXPECT_EQ(detail->summary.laptop, "Laptop dev_a");
  EXPECT_EQ(detail->history.size(), 1u);
}

TEST_F(AlertQueueTest, FalsePositivesAreCountedPerRule) {
  store({alertEvent(1, kNow - 3h, 3, "kill time"), alertEvent(2, kNow - 2h, 3, "kill time"),
         alertEvent(3, kNow - 1h, 3, "kill time"), alertEvent(4, kNow - 1h, 5, "end it"),
         worryReport(5, kNow)});
  queue().close(idOfSequence(1), AlertState::ClosedFalsePositive, "a game", "dana", kNow);
  queue().close(idOfSequence(2), AlertState::ClosedFalsePositive, "a game", "dana", kNow);
  queue().close(idOfSequence(4), AlertState::ClosedNoConcern, "a song title", "dana", kNow);

  const auto counts = queue().falsePositiveCounts();
  ASSERT_EQ(counts.size(), 2u);  // worry reports come from no rule
  EXPECT_EQ(counts[0].phrase, "kill time");
  EXPECT_EQ(counts[0].rule, "self_harm: kill time");
  EXPECT_EQ(counts[0].category, "self_harm");
  EXPECT_EQ(counts[0].falsePositives, 2);
  EXPECT_EQ(counts[0].alerts, 3);
  EXPECT_EQ(counts[1].phrase, "end it");
  EXPECT_EQ(counts[1].falsePositives, 0);
}

// A database the collector wrote before the alert queue existed (migrations up to 16), with
// alert events in it: opening it with this collector queues them.
TEST(AlertQueueMigration, AlertsStoredBeforeTheQueueExistedAreQueued) {
  testing::TempDir directory;
  const auto file = directory.path() / "old.db";
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    const auto before = std::ranges::find_if(
        all, [](const Migration& migration) { return migration.version >= 17; });
    (void)applyMigrations(session, std::span(all.begin(), before), kNow);
    session << "INSERT INTO rollup_names (id, name) VALUES (900, 'dev_old')", db::now;
    session << "INSERT INTO events (device, seq, time, type, payload, received_at) VALUES "
               "(900, 1, 1000, 10, '{\"severity\":2,\"phrase\":\"p\",\"rule\":\"r\"}', 1000), "
               "(900, 2, 2000, 16, '{\"about\":\"a\",\"message\":\"m\"}', 2000), "
               "(900, 3, 3000, 1, NULL, 3000)",
        db::now;
    session << "INSERT INTO access_log (time, viewer, kind, filter, rows) VALUES "
               "('2026-01-01T00:00:00.000Z', 'sam', 'export', 'member=m-1', 4)",
        db::now;
  }
  SqliteStores sqlite(file);
  const auto alerts = sqlite.stores().alertQueue.listAlerts({}, 10, 0);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].kind, AlertKind::Worry);
  EXPECT_EQ(alerts[0].severity, 5);
  EXPECT_EQ(alerts[1].severity, 2);
  EXPECT_EQ(alerts[1].deviceId, "dev_old");
  const auto access = sqlite.stores().accessLog.listAccess(10, 0);
  ASSERT_EQ(access.size(), 1u);  // the access log kept through its rebuild
  EXPECT_EQ(access[0].kind, AccessKind::Export);
  sqlite.stores().accessLog.recordAccess(
      {.time = kNow, .viewer = "dana", .kind = AccessKind::Alert, .filter = "alert 1", .rows = 1});
  EXPECT_EQ(sqlite.stores().accessLog.listAccess(1, 0)[0].kind, AccessKind::Alert);
  EXPECT_EQ(sqlite.stores().accessLog.listAccess(1, 1)[0].kind, AccessKind::Export);
}

}  // namespace
}  // namespace clubsafe::collector::store_test
