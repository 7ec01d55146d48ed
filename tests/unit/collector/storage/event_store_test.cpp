#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <thread>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

class EventStoreTest : public StoreTest {};

TEST_F(EventStoreTest, StoringTheSameBatchTwiceStoresItOnce) {
  enrol("dev_a");
  const auto batch = batchOf(
      "dev_a", 12, {heartbeat(1, kNow - 90s), heartbeat(2, kNow - 30s), heartbeat(3, kNow - 10s)});

  const auto first = stores().events.storeEvents(batch, kNow);
  EXPECT_EQ(first.stored, 3U);
  EXPECT_EQ(first.highestSequence, 3);
  const auto again = stores().events.storeEvents(batch, kNow + 5s);
  EXPECT_EQ(again.stored, 0U);
  EXPECT_EQ(again.highestSequence, 3);
  EXPECT_EQ(stores().events.countEvents("dev_a"), 3);

  const auto device = stores().devices.findDevice("dev_a");
  EXPECT_EQ(device->highestSequence, 3);
  EXPECT_EQ(device->backlog, 12);
  EXPECT_EQ(device->queueLagSeconds, 95);
  EXPECT_EQ(device->lastSeen, kNow + 5s);
}

TEST_F(EventStoreTest, PartlyKnownBatchStoresOnlyTheNewEvents) {
  enrol("dev_a");
  (void)stores().events.storeEvents(batchOf("dev_a", 0, {heartbeat(1, kNow), heartbeat(2, kNow)}),
                                    kNow);

  const auto result = stores().events.storeEvents(
      batchOf("dev_a", 0, {heartbeat(2, kNow), heartbeat(5, kNow)}), kNow);
  EXPECT_EQ(result.stored, 1U);
  EXPECT_EQ(result.highestSequence, 5);

  // A late event below the highest fills its gap and leaves the highest alone.
  const auto late = stores().events.storeEvents(batchOf("dev_a", 0, {heartbeat(4, kNow)}), kNow);
  EXPECT_EQ(late.stored, 1U);
  EXPECT_EQ(late.highestSequence, 5);
  EXPECT_EQ(stores().events.countEvents("dev_a"), 4);
}

TEST_F(EventStoreTest, EmptyBatchUpdatesBacklogAndKeepsLag) {
  enrol("dev_a");
  (void)stores().events.storeEvents(batchOf("dev_a", 3, {heartbeat(1, kNow - 1min)}), kNow);

  const auto result = stores().events.storeEvents(batchOf("dev_a", 7, {}), kNow + 1h);
  EXPECT_EQ(result.stored, 0U);
  EXPECT_EQ(result.highestSequence, 1);
  const auto device = stores().devices.findDevice("dev_a");
  EXPECT_EQ(device->backlog, 7);
  EXPECT_EQ(device->queueLagSeconds, 60);
  EXPECT_EQ(device->lastSeen, kNow + 1h);
}

TEST_F(EventStoreTest, EventsFromTheFutureGiveNoNegativeLag) {
  enrol("dev_a");
  (void)stores().events.storeEvents(batchOf("dev_a", 0, {heartbeat(1, kNow + 10min)}), kNow);
  EXPECT_EQ(stores().devices.findDevice("dev_a")->queueLagSeconds, 0);
}

TEST_F(EventStoreTest, EventReadsBackWholeThroughTheTextView) {
  enrol("dev_a");
  auto event = heartbeat(1, at("2026-11-24T19:57:10.123Z"));
  event.osUser = "youth";
  event.member = "M042";
  event.profile = "seniors";
  (void)stores().events.storeEvents(batchOf("dev_a", 0, {event}), kNow);

  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, test_.file.string());
  std::string type, time, osUser, member, profile, payload, receivedAt;
  session
      << "SELECT type, time, os_user, member, profile, payload, received_at FROM events_as_text",
      db::into(type), db::into(time), db::into(osUser), db::into(member), db::into(profile),
      db::into(payload), db::into(receivedAt), db::now;
  EXPECT_EQ(type, "heartbeat");
  EXPECT_EQ(time, "2026-11-24T19:57:10.123Z");
  EXPECT_EQ(osUser, "youth");
  EXPECT_EQ(member, "M042");
  EXPECT_EQ(profile, "seniors");
  // The fields kept as columns follow the rest: the same JSON in another order.
  expectSameJson(payload, R"({"agent_version":"0.1.0","queue_depth":0,"uptime_seconds":60})");
  EXPECT_EQ(receivedAt, "2026-11-24T20:00:00.000Z");
}

TEST_F(EventStoreTest, EventsOfAnUnknownDeviceAreRefused) {
  EXPECT_THROW(
      (void)stores().events.storeEvents(batchOf("dev_ghost", 0, {heartbeat(1, kNow)}), kNow),
      std::runtime_error);
  EXPECT_EQ(stores().events.countEvents("dev_ghost"), 0);
}

TEST_F(EventStoreTest, ConcurrentBatchesFromManyDevicesAreAllStored) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 10;
  constexpr int kEventsPerBatch = 5;
  for (int t = 0; t < kThreads; ++t) enrol("dev_" + std::to_string(t));

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      const std::string deviceId = "dev_" + std::to_string(t);
      for (int b = 0; b < kBatches; ++b) {
        std::vector<common::Event> events;
        for (int e = 1; e <= kEventsPerBatch; ++e) {
          events.push_back(heartbeat(b * kEventsPerBatch + e, kNow));
        }
        (void)stores().events.storeEvents(batchOf(deviceId, 0, std::move(events)), kNow);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (const auto& device : stores().devices.listDevices()) {
    EXPECT_EQ(stores().events.countEvents(device.id), kBatches * kEventsPerBatch);
    EXPECT_EQ(device.highestSequence, kBatches * kEventsPerBatch);
  }
}

}  // namespace
}  // namespace clubsafe::collector::store_test
