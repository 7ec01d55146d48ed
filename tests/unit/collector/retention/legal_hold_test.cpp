// An open incident holds its linked events and its members' events from the retention purge
// (SPEC C3, C9); closing it or releasing the hold lets the purge take them.
#include "collector/retention/retention.hpp"

#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector {
namespace {

using common::EventType;
using store_test::kNow;

constexpr std::chrono::days kDay{1};
// Ten years old: past every class's retention.
constexpr auto kLongAgo = 3650 * kDay;

class LegalHoldTest : public store_test::StoreTest {
 protected:
  void SetUp() override { enrol("dev_a"); }

  // Stores a heartbeat from long ago naming `member`; returns its sequence number.
  std::int64_t storeOldEvent(const std::string& member) {
    common::Event event;
    event.deviceId = "dev_a";
    event.sequence = ++sequence_;
    event.time = kNow - kLongAgo;
    event.type = EventType::WorryReport;
    event.member = member;
    common::Batch batch;
    batch.header.deviceId = "dev_a";
    batch.events.push_back(event);
    (void)stores().events.storeEvents(batch, kNow);
    return sequence_;
  }

  std::int64_t openIncident(IncidentInvolved involved) {
    return stores().incidents.openIncident({.category = "other",
                                            .title = "held",
                                            .involved = std::move(involved),
                                            .reviewDate = {},
                                            .openedBy = "dee",
                                            .openedAt = kNow,
                                            .firstEntry = ""});
  }

  std::size_t purge() { return purgeExpiredEvents(stores().events, RetentionPeriods{}, kNow); }
  std::int64_t remaining() { return stores().events.countEvents("dev_a"); }
  std::int64_t sequence_ = 0;
};

TEST_F(LegalHoldTest, ALinkedEventSurvivesThePurgeUntilTheIncidentCloses) {
  const auto linked = storeOldEvent("");
  (void)storeOldEvent("");  // not linked: purged at once
  const auto id = openIncident({.events = {{"dev_a", linked}}});

  EXPECT_EQ(purge(), 1U);
  EXPECT_EQ(remaining(), 1);
  EXPECT_EQ(purge(), 0U);

  stores().incidents.closeIncident(
      id, {.outcome = "done", .lessonsLearnt = "noted", .closedBy = "dee", .closedAt = kNow});
  EXPECT_EQ(purge(), 1U);
  EXPECT_EQ(remaining(), 0);
}

TEST_F(LegalHoldTest, AMembersEventsAreHeldUntilTheHoldIsReleased) {
  (void)storeOldEvent("sam");
  (void)storeOldEvent("sam");
  (void)storeOldEvent("alex");
  const auto id = openIncident({.members = {"sam"}});

  EXPECT_EQ(purge(), 1U);  // alex's
  EXPECT_EQ(remaining(), 2);

  stores().incidents.releaseHold(id, "dee", kNow, "copies given to the police");
  EXPECT_EQ(purge(), 2U);
  EXPECT_EQ(remaining(), 0);
}

TEST_F(LegalHoldTest, SomeoneAddedLaterIsHeldToo) {
  (void)storeOldEvent("alex");
  const auto id = openIncident({.members = {"sam"}});
  stores().incidents.addInvolved(id, {.members = {"alex"}}, "dee", kNow);
  EXPECT_EQ(purge(), 0U);
  EXPECT_EQ(remaining(), 1);
}

TEST_F(LegalHoldTest, AnotherOpenIncidentKeepsHoldingTheSameEvent) {
  const auto linked = storeOldEvent("");
  const auto first = openIncident({.events = {{"dev_a", linked}}});
  (void)openIncident({.events = {{"dev_a", linked}}});
  stores().incidents.releaseHold(first, "dee", kNow, "the other incident holds it");
  EXPECT_EQ(purge(), 0U);
  EXPECT_EQ(remaining(), 1);
}

}  // namespace
}  // namespace clubsafe::collector
