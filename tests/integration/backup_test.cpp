// clubsafe-collector backup and restore on the real binary: a backup taken while a laptop's
// batches are being stored is one consistent state, and restore brings it back, but never under
// a running collector and never from a file that is not a backup this collector can use.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>

namespace clubsafe::testing {
namespace {

constexpr int kEventsPerBatch = 20;

CommandResult collectorCommand(const Collector& collector, const std::vector<std::string>& words) {
  auto arguments = collector.settings();
  arguments.insert(arguments.begin(), words.begin(), words.end());
  return runCommand(collectorBinary(), arguments);
}

std::int64_t storedEvents(const std::string& database, const Agent& agent) {
  return std::stoll(queryDatabase(database,
                                  "SELECT COUNT(*) FROM events_as_text WHERE device_id = ?",
                                  {agent.deviceId()})[0][0]);
}

// Posts batches of heartbeats, one after another, until stopped; counts those the collector
// acknowledged (stored and committed).
class BatchSender {
 public:
  BatchSender(const Collector& collector, const Agent& agent)
      : thread_([this, &collector, &agent] {
          while (!stop_) {
            const auto first = acknowledged_ * kEventsPerBatch + 1;
            const auto answer =
                httpsRequest(collector.port(), "POST", "/api/device/v1/events",
                             heartbeatBatch(agent.deviceId(), first, kEventsPerBatch),
                             {{"Authorization", agent.authorization()}});
            if (answer.status != 200) throw std::runtime_error("batch refused: " + answer.body);
            ++acknowledged_;
          }
        }) {}
  ~BatchSender() { stopNow(); }
  BatchSender(const BatchSender&) = delete;
  BatchSender& operator=(const BatchSender&) = delete;

  [[nodiscard]] std::int64_t acknowledged() const { return acknowledged_; }
  void stopNow() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> acknowledged_{0};
  std::thread thread_;
};

TEST(Backup, TakenWhileBatchesAreStoredHoldsEveryCommittedBatchWholeAndRestores) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const auto backup = dir.file("club-backup.db");

  BatchSender sender(collector, agent);
  ASSERT_TRUE(waitFor([&] { return sender.acknowledged() >= 30; }, 60s));
  const auto acknowledgedBefore = sender.acknowledged();
  const auto made = collectorCommand(collector, {"backup", "--to", backup});
  const auto acknowledgedAfter = sender.acknowledged();
  ASSERT_TRUE(waitFor([&] { return sender.acknowledged() > acknowledgedAfter + 5; }, 60s));
  sender.stopNow();
  ASSERT_EQ(made.status, 0) << made.output;
  EXPECT_NE(made.output.find("schema version"), std::string::npos) << made.output;

  EXPECT_EQ(queryDatabase(backup, "PRAGMA integrity_check")[0][0], "ok");
  const auto row = queryDatabase(
      backup,
      "SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) "
      "FROM events_as_text WHERE device_id = ?",
      {agent.deviceId()})[0];
  const auto inBackup = std::stoll(row[0]);
  // Every batch acknowledged before the backup began, and whole batches only: no batch torn.
  EXPECT_GE(inBackup, acknowledgedBefore * kEventsPerBatch);
  EXPECT_LE(inBackup, acknowledgedAfter * kEventsPerBatch);
  EXPECT_EQ(inBackup % kEventsPerBatch, 0);
  EXPECT_EQ(std::stoll(row[1]), inBackup);
  EXPECT_EQ(row[2], "1");
  EXPECT_EQ(std::stoll(row[3]), inBackup);
  std::cout << "[ figures  ] batches acknowledged: " << acknowledgedBefore << " before the backup, "
            << acknowledgedAfter << " when it ended; the backup holds "
            << inBackup / kEventsPerBatch << "\n";

  // A second backup never overwrites the first.
  EXPECT_NE(collectorCommand(collector, {"backup", "--to", backup}).status, 0);

  // Refused while the collector runs: the live database is left as it is.
  const auto liveEvents = storedEvents(collector.database(), agent);
  const auto whileRunning = collectorCommand(collector, {"restore", "--from", backup});
  EXPECT_EQ(whileRunning.status, 75) << whileRunning.output;
  EXPECT_NE(whileRunning.output.find("Stop it first"), std::string::npos) << whileRunning.output;
  EXPECT_EQ(storedEvents(collector.database(), agent), liveEvents);

  collector.stop();
  const auto restored = collectorCommand(collector, {"restore", "--from", backup});
  ASSERT_EQ(restored.status, 0) << restored.output;
  EXPECT_EQ(storedEvents(collector.database(), agent), inBackup);
  EXPECT_EQ(storedEvents(collector.database() + ".before-restore", agent), liveEvents);
  collector.start();
  const ConsoleClient console(collector);  // the manager of the restored database
  EXPECT_EQ(console.get("/api/console/devices").status, 200);
  collector.stop();
}

TEST(Backup, RestoreRefusesFilesThatAreNotABackupItCanUseAndChangesNothing) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  collector.stop();
  const auto before = readFile(collector.database());

  const auto notADatabase = dir.file("notes.txt");
  std::ofstream(notADatabase) << "not a database\n";
  const auto otherDatabase = dir.file("other.db");
  const auto newer = dir.file("newer.db");
  ASSERT_EQ(collectorCommand(collector, {"backup", "--to", otherDatabase}).status, 0);
  ASSERT_EQ(collectorCommand(collector, {"backup", "--to", newer}).status, 0);
  ASSERT_EQ(runCommand("/usr/bin/sqlite3", {otherDatabase, "DROP TABLE schema_migrations"}).status,
            0);
  ASSERT_EQ(
      runCommand("/usr/bin/sqlite3", {newer, "INSERT INTO schema_migrations VALUES (9999, 'x')"})
          .status,
      0);

  const std::vector<std::pair<std::string, std::string>> cases{
      {notADatabase, "not a database"},
      {otherDatabase, "not a clubsafe collector database"},
      {newer, "schema version 9999"},
      {dir.file("missing.db"), "no backup file"}};
  for (const auto& [file, why] : cases) {
    const auto result = collectorCommand(collector, {"restore", "--from", file});
    EXPECT_EQ(result.status, 65) << file;
    EXPECT_NE(result.output.find(why), std::string::npos) << result.output;
  }
  EXPECT_EQ(readFile(collector.database()), before);
}

}  // namespace
}  // namespace clubsafe::testing
