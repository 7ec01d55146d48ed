// Nothing lost, nothing twice: the agent killed mid-upload and the collector restarted while
// batches are in flight.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <iostream>
#include <random>
#include <thread>

namespace clubsafe::testing {
namespace {

// Settings that make the agent produce and upload many small batches.
const std::vector<std::string> kBusyAgent{"heartbeat.interval=0.01",     "apps.scan_interval=0.05",
                                          "upload.batch_size=25",        "upload.interval=0.05",
                                          "upload.backoff_initial=0.05", "upload.backoff_max=0.5"};
const std::vector<std::string> kQuietAgent{"heartbeat.interval=3600", "apps.scan_interval=3600",
                                           "upload.interval=0.05", "upload.backoff_initial=0.05",
                                           "upload.backoff_max=0.5"};

// Every event the agent ever committed is at the collector exactly once.
void expectExactlyOnce(const Collector& collector, Agent& agent) {
  agent.start(kQuietAgent);
  ASSERT_TRUE(waitFor([&] { return agent.queueDepth() == 0; }, 60s)) << agent.output();
  agent.stop();
  const auto committed = agent.lastCommittedSequence();
  ASSERT_GT(committed, 100) << "the test made too few events to prove anything";
  const auto row =
      queryDatabase(collector.database(),
                    "SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM events_as_text "
                    "WHERE device_id = ?",
                    {agent.deviceId()})[0];
  EXPECT_EQ(std::stoll(row[0]), committed) << "events stored";
  EXPECT_EQ(std::stoll(row[1]), committed) << "distinct sequence numbers";
  EXPECT_EQ(row[2], "1");
  EXPECT_EQ(std::stoll(row[3]), committed);
  std::cout << "[ figures  ] " << committed << " events committed by the agent, " << row[0]
            << " stored by the collector, " << row[1] << " distinct\n";
}

TEST(Durability, KillingTheAgentTwentyTimesWhileUploadingLosesAndDuplicatesNothing) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> runFor(150, 1200);
  int killedWhileQueued = 0;
  for (int round = 0; round < 20; ++round) {
    agent.start(kBusyAgent);
    std::this_thread::sleep_for(std::chrono::milliseconds(runFor(random)));
    agent.kill();
    killedWhileQueued += agent.queueDepth() > 0 ? 1 : 0;
  }
  // Proof the kills landed mid-stream: usually the queue was not empty when the agent died.
  EXPECT_GT(killedWhileQueued, 0);
  std::cout << "[ figures  ] killed with events still queued in " << killedWhileQueued
            << " of 20 rounds\n";
  expectExactlyOnce(collector, agent);
  collector.stop();
}

TEST(Durability, RestartingTheCollectorWhileBatchesAreInFlightLosesNothing) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  agent.start(kBusyAgent);
  std::this_thread::sleep_for(500ms);
  for (int round = 0; round < 6; ++round) {
    if (round % 2 == 0) {
      collector.kill();
    } else {
      collector.stop();
    }
    std::this_thread::sleep_for(300ms);  // the agent meets a closed port and backs off
    collector.start();
    std::this_thread::sleep_for(400ms);
  }
  agent.stop();
  expectExactlyOnce(collector, agent);
  collector.stop();
}

}  // namespace
}  // namespace clubsafe::testing
