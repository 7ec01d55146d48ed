#include "agent/sources/heartbeat_source.hpp"
#include "agent/sources/source_scheduler.hpp"

#include "common/batch_codec.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::sources {
namespace {

TEST(HeartbeatSourceTest, ReportsUptimeQueueDepthAndVersion) {
  HeartbeatSource source(std::chrono::seconds(60), [] { return 7; });
  const auto events = source.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, common::EventType::Heartbeat);
  EXPECT_EQ(events[0].payload->getValue<std::int64_t>("queue_depth"), 7);
  EXPECT_GE(events[0].payload->getValue<std::int64_t>("uptime_seconds"), 0);
  EXPECT_EQ(events[0].payload->getValue<std::string>("agent_version"), CLUBSAFE_VERSION);
}

TEST(SourceSchedulerTest, SavesWhatASourceRecordsToTheOutboxAsValidEvents) {
  clubsafe::testing::TempDir dir;
  outbox::Outbox outbox(dir.file("outbox.db"), outbox::Outbox::Access::ReadWrite);
  SourceScheduler scheduler(outbox);
  HeartbeatSource source(std::chrono::seconds(60), [&] { return outbox.depth(); });
  scheduler.pollAndSave(source);
  scheduler.pollAndSave(source);
  const auto waiting = outbox.nextBatch(10);
  ASSERT_EQ(waiting.size(), 2u);
  const auto second = common::decodeEvent(waiting[1].encoded);
  EXPECT_EQ(second.sequence, 2);
  EXPECT_EQ(second.payload->getValue<std::int64_t>("queue_depth"), 1);
}

}  // namespace
}  // namespace clubsafe::agent::sources
