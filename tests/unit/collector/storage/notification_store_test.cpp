#include "tests/unit/collector/storage/store_test.hpp"

#include <algorithm>

namespace clubsafe::collector::store_test {
namespace {

using common::EventType;

common::Event event(EventType type, std::int64_t sequence,
                    std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> fields) {
  common::Event made;
  made.sequence = sequence;
  made.time = kNow - 5min;
  made.type = type;
  made.osUser = "club";
  made.member = "m-17";
  for (const auto& [key, value] : fields) made.payload->set(key, value);
  return made;
}

class NotificationStoreTest : public StoreTest {
 protected:
  void SetUp() override { enrol("dev_a"); }

  void store(std::vector<common::Event> events) {
    (void)stores().events.storeEvents(batchOf("dev_a", 0, std::move(events)), kNow);
  }

  NotificationStore& notifications() { return stores().notifications; }

  std::vector<std::string> dueKinds(Timestamp now = kNow) {
    std::vector<std::string> kinds;
    for (const auto& due : notifications().listDue(now)) kinds.push_back(due.kind);
    return kinds;
  }
};

TEST_F(NotificationStoreTest, TheEventsThatCallForOneRaiseItAsTheyAreStored) {
  store({event(EventType::SafeguardingAlert, 1, {{"severity", 4}, {"phrase", "kms"}}),
         event(EventType::WorryReport, 2, {{"message", "help"}}),
         event(EventType::Tamper, 3, {{"what", "hosts file changed"}}),
         event(EventType::OutboxGap, 4, {{"dropped", 12}}),
         event(EventType::FilterSelfTest, 5, {{"passed", false}}),
         event(EventType::FilterSelfTest, 6, {{"passed", true}}),
         event(EventType::SearchTerm, 7, {{"terms", "homework"}})});

  const auto due = notifications().listDue(kNow);
  ASSERT_EQ(due.size(), 5U);
  EXPECT_EQ(dueKinds(), (std::vector<std::string>{"safeguarding_alert", "worry_report", "tamper",
                                                  "outbox_gap", "self_test_failed"}));
  EXPECT_EQ(due[0].audience, Audience::Dsl);
  EXPECT_EQ(due[0].severity, 4);
  EXPECT_EQ(due[1].audience, Audience::Dsl);
  EXPECT_EQ(due[1].severity, 5);  // a young person asked for help
  EXPECT_EQ(due[2].audience, Audience::Manager);
  EXPECT_EQ(due[2].deviceId, "dev_a");
  EXPECT_EQ(due[2].laptopName, "Laptop dev_a");
  EXPECT_EQ(due[2].happenedAt, kNow - 5min);
  EXPECT_EQ(due[2].raisedAt, kNow);
}

TEST_F(NotificationStoreTest, AResentEventRaisesNothingMore) {
  store({event(EventType::WorryReport, 1, {})});
  store({event(EventType::WorryReport, 1, {})});
  EXPECT_EQ(notifications().listDue(kNow).size(), 1U);
}

TEST_F(NotificationStoreTest, MailedOnesNoLongerWaitAndAreCountedForTheRateLimit) {
  store({event(EventType::WorryReport, 1, {}), event(EventType::WorryReport, 2, {}),
         event(EventType::Tamper, 3, {})});
  const auto due = notifications().listDue(kNow);
  notifications().markMailed(Audience::Dsl, std::vector<std::int64_t>{due[0].id}, MailVia::Alone,
                             kNow);
  notifications().markMailed(Audience::Dsl, std::vector<std::int64_t>{due[1].id}, MailVia::Summary,
                             kNow + 1s);
  notifications().markMailed(Audience::Manager, std::vector<std::int64_t>{due[2].id},
                             MailVia::Unsent, kNow);

  EXPECT_TRUE(notifications().listDue(kNow + 1h).empty());
  EXPECT_EQ(notifications().countMailsSince(Audience::Dsl, kNow - 1s), 2);
  EXPECT_EQ(notifications().countMailsSince(Audience::Dsl, kNow), 1);           // after, not at
  EXPECT_EQ(notifications().countMailsSince(Audience::Manager, kNow - 1s), 0);  // unsent
  EXPECT_EQ(notifications().mailStatus().lastSentAt, kNow + 1s);
}

TEST_F(NotificationStoreTest, AFailureHoldsThemBackUntilTheRetryAndShowsOnTheStatus) {
  store({event(EventType::WorryReport, 1, {})});
  const auto id = notifications().listDue(kNow).front().id;
  notifications().recordFailure(std::vector<std::int64_t>{id}, "connection refused", kNow,
                                kNow + 30s);

  EXPECT_TRUE(notifications().listDue(kNow + 29s).empty());
  const auto retried = notifications().listDue(kNow + 30s);
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_EQ(retried.front().attempts, 1);
  auto status = notifications().mailStatus();
  EXPECT_EQ(status.waiting, 1);
  EXPECT_EQ(status.failing, 1);
  EXPECT_EQ(status.lastError, "connection refused");
  EXPECT_EQ(status.lastFailureAt, kNow);

  notifications().markMailed(Audience::Dsl, std::vector<std::int64_t>{id}, MailVia::Alone,
                             kNow + 31s);
  status = notifications().mailStatus();
  EXPECT_EQ(status.waiting, 0);
  EXPECT_EQ(status.failing, 0);
  EXPECT_EQ(status.lastError, "connection refused");  // the last failure stays on show
}

TEST_F(NotificationStoreTest, ASilentLaptopIsRaisedOncePerSilence) {
  store({event(EventType::Heartbeat, 1, {})});
  notifications().raiseLaptopSilent("dev_a", kNow - 30min, kNow);
  notifications().raiseLaptopSilent("dev_a", kNow - 30min, kNow + 1min);
  EXPECT_EQ(dueKinds(kNow + 1min), std::vector<std::string>{"laptop_silent"});

  notifications().raiseLaptopSilent("dev_a", kNow + 10min, kNow + 40min);  // a new silence
  EXPECT_EQ(notifications().listDue(kNow + 40min).size(), 2U);
  // A laptop that never sent anything has no name number yet: nothing to raise about.
  notifications().raiseLaptopSilent("dev_never", kNow - 30min, kNow);
  EXPECT_EQ(notifications().listDue(kNow + 40min).size(), 2U);
}

TEST_F(NotificationStoreTest, ManagersAcknowledgeTheirAlertsOnlyOnce) {
  store({event(EventType::Tamper, 1, {}), event(EventType::WorryReport, 2, {})});
  const auto alerts = notifications().listManagerAlerts(false, 10);
  ASSERT_EQ(alerts.size(), 1U);  // the worry report is the DSLs', not the managers'
  EXPECT_EQ(alerts.front().kind, "tamper");

  EXPECT_TRUE(notifications().acknowledgeManagerAlert(alerts.front().id, "alice", kNow));
  EXPECT_FALSE(notifications().acknowledgeManagerAlert(alerts.front().id, "bob", kNow));
  EXPECT_TRUE(notifications().listManagerAlerts(false, 10).empty());
  const auto all = notifications().listManagerAlerts(true, 10);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all.front().acknowledgedBy, "alice");
  EXPECT_EQ(all.front().acknowledgedAt, kNow);

  const auto dslId = notifications().listDue(kNow).front().id;
  EXPECT_FALSE(notifications().acknowledgeManagerAlert(dslId, "alice", kNow));
}

}  // namespace
}  // namespace clubsafe::collector::store_test
