// Tamper evidence and the outbox cap with the real agent and collector: the agent killed with
// SIGKILL, the hosts file edited, the outbox filled while the collector is away.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace clubsafe::testing {
namespace {

// Quick tamper checks, heartbeats only when asked, uploads retried quickly.
std::vector<std::string> tamperAgent(const std::string& hostsFile) {
  return {"tamper.hosts_file=" + hostsFile, "tamper.check_interval=0.2",
          "heartbeat.interval=0.5",         "apps.scan_interval=3600",
          "upload.interval=0.05",           "upload.backoff_initial=0.05",
          "upload.backoff_max=0.5"};
}

// The detail of each tamper event of `kind` the collector holds from `device`.
std::vector<std::string> tamperDetails(const Collector& collector, const std::string& device,
                                       const std::string& kind) {
  std::vector<std::string> details;
  for (const auto& row :
       queryDatabase(collector.database(),
                     "SELECT json_extract(payload, '$.detail') FROM events_as_text "
                     "WHERE device_id = ? AND type = 'tamper' AND "
                     "json_extract(payload, '$.kind') = ? ORDER BY seq",
                     {device, kind})) {
    details.push_back(row[0]);
  }
  return details;
}

std::int64_t heartbeats(const Collector& collector, const std::string& device) {
  return std::stoll(queryDatabase(collector.database(),
                                  "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND "
                                  "type = 'heartbeat'",
                                  {device})[0][0]);
}

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(hosts_) << "127.0.0.1 localhost\n127.0.1.1 club-laptop-3\n";
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
  }

  TempDir dir_;
  std::string hosts_ = dir_.file("hosts");
  Collector collector_{dir_};
  Agent agent_{dir_};
};

TEST_F(TamperTest, KillingTheAgentIsReportedAtTheNextStartAndACleanStopIsNot) {
  const auto device = agent_.deviceId();
  agent_.start(tamperAgent(hosts_));
  ASSERT_TRUE(waitFor([&] { return heartbeats(collector_, device) > 0; }, 30s)) << agent_.output();
  agent_.kill();
  agent_.start(tamperAgent(hosts_));
  ASSERT_TRUE(
      waitFor([&] { return !tamperDetails(collector_, device, "unclean_stop").empty(); }, 30s))
      << agent_.output();
  const auto detail = tamperDetails(collector_, device, "unclean_stop").front();
  EXPECT_NE(detail.find("killed or it crashed"), std::string::npos) << detail;
  EXPECT_NE(detail.find("last seen running at "), std::string::npos) << detail;

  agent_.stop();
  const auto before = heartbeats(collector_, device);
  agent_.start(tamperAgent(hosts_));
  ASSERT_TRUE(waitFor([&] { return heartbeats(collector_, device) > before + 2; }, 30s));
  agent_.stop();
  EXPECT_EQ(tamperDetails(collector_, device, "unclean_stop").size(), 1u);
}

TEST_F(TamperTest, EditingTheHostsFileIsReportedNamingTheEntry) {
  const auto device = agent_.deviceId();
  agent_.start(tamperAgent(hosts_));
  // The first check keeps a copy to compare with.
  ASSERT_TRUE(
      waitFor([&] { return std::filesystem::exists(agent_.stateDir() + "/hosts.last-seen"); }, 30s))
      << agent_.output();
  std::ofstream(hosts_, std::ios::app) << "216.58.204.68 www.google.com\n";
  ASSERT_TRUE(
      waitFor([&] { return !tamperDetails(collector_, device, "hosts_changed").empty(); }, 30s))
      << agent_.output();
  const auto detail = tamperDetails(collector_, device, "hosts_changed").front();
  EXPECT_NE(detail.find("1 entry added: www.google.com (216.58.204.68)"), std::string::npos)
      << detail;
  agent_.stop();
  EXPECT_EQ(tamperDetails(collector_, device, "hosts_changed").size(), 1u);
}

TEST_F(TamperTest, AnOutboxFullWhileTheCollectorIsAwayCountsEveryDroppedEventAndIsReportedOnce) {
  const auto device = agent_.deviceId();
  collector_.stop();
  // About fifty heartbeats fit; a hundred a second arrive.
  auto busy = tamperAgent(hosts_);
  busy.insert(busy.end(), {"outbox.max_bytes=20000", "heartbeat.interval=0.01"});
  agent_.start(busy);
  const auto outbox = agent_.stateDir() + "/outbox.db";
  ASSERT_TRUE(waitFor(
      [&] {
        try {
          return agent_.lastCommittedSequence() > 600 &&
                 !queryDatabase(outbox, "SELECT 1 FROM events WHERE type = 'outbox_gap'").empty();
        } catch (const std::exception&) {
          return false;  // the agent is still making its outbox
        }
      },
      60s))
      << agent_.output();
  agent_.stop();
  EXPECT_LT(std::stoll(queryDatabase(outbox, "SELECT SUM(bytes) FROM events")[0][0]), 21'000);
  // However often the agent tried to send, the outage is one gap event.
  EXPECT_EQ(queryDatabase(outbox, "SELECT COUNT(*) FROM events WHERE type = 'outbox_gap'")[0][0],
            "1");

  collector_.start();
  agent_.start(tamperAgent(hosts_));
  ASSERT_TRUE(waitFor([&] { return agent_.queueDepth() == 0; }, 60s)) << agent_.output();
  agent_.stop();

  const auto committed = agent_.lastCommittedSequence();
  const auto row =
      queryDatabase(collector_.database(),
                    "SELECT COUNT(*), COUNT(DISTINCT seq), MAX(seq) FROM events_as_text "
                    "WHERE device_id = ?",
                    {device})[0];
  const auto dropped = std::stoll(queryDatabase(collector_.database(),
                                                "SELECT SUM(json_extract(payload, '$.dropped')) "
                                                "FROM events_as_text WHERE device_id = ? AND "
                                                "type = 'outbox_gap'",
                                                {device})[0][0]);
  EXPECT_EQ(std::stoll(row[0]), std::stoll(row[1])) << "no sequence number twice";
  EXPECT_EQ(std::stoll(row[2]), committed);
  // Heartbeats make room by dropping older heartbeats, so each dropped event had a sequence
  // number: the numbers missing at the collector are exactly the count in the gap events.
  EXPECT_EQ(dropped, committed - std::stoll(row[0]));
  EXPECT_GT(dropped, 400);
  EXPECT_EQ(tamperDetails(collector_, device, "outbox_overflow").size(), 1u);
  const auto gapEvents =
      queryDatabase(collector_.database(),
                    "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND "
                    "type = 'outbox_gap'",
                    {device})[0][0];
  std::cout << "[ figures  ] " << committed << " events committed, " << row[0]
            << " at the collector, " << dropped << " dropped and counted in " << gapEvents
            << " gap events\n";
}

}  // namespace
}  // namespace clubsafe::testing
