#include "collector/retention/retention.hpp"

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using common::EventType;

const Timestamp kNow = testing::at("2026-11-24T20:00:00.000Z");
constexpr std::chrono::days kDay{1};

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores().devices.createEnrolmentToken(common::sha256Hex("token"), "", "test", kNow - 1h,
                                          kNow + 1h, {});
    ASSERT_TRUE(stores().devices.enrolDevice(common::sha256Hex("token"),
                                             {.id = "dev_a",
                                              .secretHash = "x",
                                              .name = "Laptop",
                                              .hostname = "club-1",
                                              .os = "Debian",
                                              .agentVersion = "0.1.0"},
                                             kNow));
  }

  // Stores one event of `type` that happened `age` before kNow.
  void storeEvent(EventType type, std::chrono::days age) {
    common::Event event;
    event.deviceId = "dev_a";
    event.sequence = ++sequence_;
    event.time = kNow - age;
    event.type = type;
    common::Batch batch;
    batch.header.deviceId = "dev_a";
    batch.events.push_back(event);
    (void)stores().events.storeEvents(batch, kNow);
  }

  std::int64_t remaining() { return stores().events.countEvents("dev_a"); }
  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
  std::int64_t sequence_ = 0;
};

TEST_F(RetentionTest, EachClassIsKeptForItsOwnPeriod) {
  storeEvent(EventType::Heartbeat, 29 * kDay);     // kept: within 30 days
  storeEvent(EventType::Heartbeat, 31 * kDay);     // deleted
  storeEvent(EventType::AppList, 200 * kDay);      // kept: within a year
  storeEvent(EventType::AppList, 400 * kDay);      // deleted
  storeEvent(EventType::WorryReport, 400 * kDay);  // kept: safeguarding records stay longer
  storeEvent(EventType::Tamper, 7 * 365 * kDay);   // deleted after six years
  ASSERT_EQ(remaining(), 6);

  EXPECT_EQ(purgeExpiredEvents(stores().events, RetentionPeriods{}, kNow), 3u);
  EXPECT_EQ(remaining(), 3);
  EXPECT_EQ(purgeExpiredEvents(stores().events, RetentionPeriods{}, kNow), 0u);
}

TEST_F(RetentionTest, ShorterPeriodsDeleteMore) {
  storeEvent(EventType::AppList, 10 * kDay);
  RetentionPeriods periods;
  periods.usage = 7 * kDay;
  EXPECT_EQ(purgeExpiredEvents(stores().events, periods, kNow), 1u);
  EXPECT_EQ(remaining(), 0);
}

TEST_F(RetentionTest, DnsMinutesAreKeptAsLongAsTheirEvents) {
  common::Batch batch;
  batch.header.deviceId = "dev_a";
  for (const auto age : {10 * kDay, 400 * kDay}) {
    common::Event event;
    event.deviceId = "dev_a";
    event.sequence = ++sequence_;
    event.time = kNow - age + 70s;
    event.type = EventType::DnsDecision;
    event.payload->set("domain", "a.test");
    event.payload->set("action", "allowed");
    event.payload->set("minute", common::formatTimestamp(kNow - age));
    event.payload->set("count", 2);
    batch.events.push_back(event);
  }
  (void)stores().events.storeEvents(batch, kNow);
  ASSERT_EQ(stores().events.listDnsMinutes("dev_a", kNow - 500 * kDay, kNow).size(), 2u);

  EXPECT_EQ(purgeExpiredEvents(stores().events, RetentionPeriods{}, kNow), 1u);  // a year for usage
  const auto kept = stores().events.listDnsMinutes("dev_a", kNow - 500 * kDay, kNow);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept.front().minute, kNow - 10 * kDay);
}

TEST_F(RetentionTest, ThePurgerRunsWhenItStartsAndKeepsTheAccessLogItsOwnPeriod) {
  storeEvent(EventType::Heartbeat, 3650 * kDay);
  const auto now = common::nowUtc();
  const AccessRecord old{.time = now - 31 * kDay,
                         .viewer = "dsl",
                         .kind = AccessKind::Alert,
                         .filter = "alert 1",
                         .rows = 1};
  const AccessRecord recent{.time = now - 29 * kDay,
                            .viewer = "dsl",
                            .kind = AccessKind::Alert,
                            .filter = "alert 2",
                            .rows = 1};
  stores().accessLog.recordAccess(old);
  stores().accessLog.recordAccess(recent);
  RetentionPeriods periods;
  periods.accessLog = std::chrono::days(30);
  const RetentionPurger purger(stores().events, stores().readModel, stores().accessLog, periods,
                               1h);
  for (int i = 0; i < 200 && stores().accessLog.listAccess(10, 0).size() > 1; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(remaining(), 0);
  EXPECT_EQ(stores().accessLog.listAccess(10, 0), std::vector<AccessRecord>{recent});
}

}  // namespace
}  // namespace clubsafe::collector
