// The outbox on a full disk: the free space is the operating-system seam (DiskRoomOptions::
// freeBytes), the SQLite file and the reserve file are real.
#include "agent/outbox/outbox.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/outbox/outbox_test_events.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace clubsafe::agent::outbox {
namespace {

constexpr std::int64_t kMegabyte = std::int64_t{1} << 20;

class OutboxDiskTest : public ::testing::Test {
 protected:
  // No byte cap: only the disk limits the outbox.
  OutboxBounds bounds(std::int64_t reserveBytes = 0) {
    auto bounds = capOf(0);
    bounds.disk.marginBytes = 64 * 1024;
    bounds.disk.reserveBytes = reserveBytes;
    bounds.disk.freeBytes = [this](const std::string& folder) {
      EXPECT_EQ(folder, dir_.path().string());
      return free_;
    };
    return bounds;
  }

  clubsafe::testing::TempDir dir_;
  std::string path_ = dir_.file("outbox.db");
  std::int64_t free_ = 100 * kMegabyte;
};

TEST_F(OutboxDiskTest, AFullDiskMakesLowPriorityEventsPushOutOlderOnesCountedInOneGapEvent) {
  Outbox outbox(path_, Outbox::Access::ReadWrite, bounds());
  for (int i = 0; i < 30; ++i) (void)appendOne(outbox, EventType::Heartbeat);
  const auto before = outbox.storedBytes();
  free_ = 0;
  int alerts = 0;
  for (int i = 0; i < 300; ++i) {
    const bool alert = i % 50 == 0;
    alerts += alert ? 1 : 0;
    EXPECT_GT(appendOne(outbox, alert ? EventType::SafeguardingAlert : EventType::Heartbeat), 0);
  }
  const auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.byType.at(EventType::SafeguardingAlert), alerts);
  EXPECT_EQ(contents.tamperKinds, std::vector<std::string>{"outbox_overflow"});
  EXPECT_EQ(contents.gapEvents, 1);
  // Every event dropped had its sequence number: the numbers missing are the gap's count.
  const auto highest = *contents.sequences.rbegin();
  EXPECT_EQ(contents.gapDropped, highest - static_cast<std::int64_t>(contents.sequences.size()));
  EXPECT_GE(contents.gapDropped, 300 - alerts);
  // The file does not grow for heartbeats: only the alerts, the gap and the overflow event add.
  EXPECT_LE(outbox.storedBytes(),
            before + (alerts + 3) * encodedSize(EventType::SafeguardingAlert));

  // Space again: heartbeats are kept, nothing more is counted, and the overflow ends once the
  // collector has confirmed what waited.
  free_ = 100 * kMegabyte;
  const auto waiting = outbox.depth();
  (void)appendOne(outbox, EventType::Heartbeat);
  EXPECT_EQ(outbox.depth(), waiting + 1);
  ASSERT_TRUE(outbox.remove(sequences(outbox.nextBatch(1000))).ok());
  ASSERT_TRUE(outbox.remove(sequences(outbox.nextBatch(1000))).ok());
  EXPECT_EQ(outbox.depth(), 0);
  EXPECT_FALSE(outbox.meta("overflow_since").has_value());
}

TEST_F(OutboxDiskTest, ADroppedNewcomerStillUsesUpItsSequenceNumber) {
  Outbox outbox(path_, Outbox::Access::ReadWrite, bounds());
  EXPECT_EQ(appendOne(outbox, EventType::BrowserVisit), 1);
  free_ = 0;
  // Only a higher-priority visit to push out: the heartbeat goes itself, after the overflow's
  // tamper event (2) and the gap event (3), and takes number 4 with it.
  auto heartbeat = makeEvent(EventType::Heartbeat);
  ASSERT_TRUE(outbox.append(heartbeat).ok());
  EXPECT_EQ(heartbeat.sequence, 0);
  // The alert pushes out the visit.
  EXPECT_EQ(appendOne(outbox, EventType::SafeguardingAlert), 5);
  const auto contents = contentsOf(outbox);
  EXPECT_EQ(contents.sequences, (std::set<std::int64_t>{2, 3, 5}));
  EXPECT_EQ(contents.gapDropped, 2);
}

TEST_F(OutboxDiskTest, TheReserveIsReleasedWhenTheDiskFillsAndMadeAgainWhenThereIsSpace) {
  const auto reserve = dir_.file("outbox.reserve");
  Outbox outbox(path_, Outbox::Access::ReadWrite, bounds(256 * 1024));
  ASSERT_TRUE(std::filesystem::exists(reserve));
  EXPECT_EQ(std::filesystem::file_size(reserve), 256u * 1024);

  free_ = 1000;  // another program filled the disk
  (void)appendOne(outbox, EventType::Tamper);
  EXPECT_FALSE(std::filesystem::exists(reserve));
  // The released reserve is still owed: heartbeats do not grow into it.
  free_ = 256 * 1024;
  const auto waiting = outbox.depth();
  for (int i = 0; i < 20; ++i) (void)appendOne(outbox, EventType::Heartbeat);
  EXPECT_LE(outbox.depth(), waiting + 2);  // the overflow's gap event, and one heartbeat at most
  EXPECT_FALSE(std::filesystem::exists(reserve));

  free_ = 100 * kMegabyte;  // space again
  (void)appendOne(outbox, EventType::Heartbeat);
  EXPECT_TRUE(std::filesystem::exists(reserve));
}

TEST_F(OutboxDiskTest, AStatusReaderMakesNoReserve) {
  { Outbox writer(path_, Outbox::Access::ReadWrite, bounds()); }
  Outbox reader(path_, Outbox::Access::ReadOnly, bounds(256 * 1024));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("outbox.reserve")));
}

}  // namespace
}  // namespace clubsafe::agent::outbox
