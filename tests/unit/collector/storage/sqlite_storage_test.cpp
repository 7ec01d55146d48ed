#include "collector/storage/sqlite_storage.hpp"

#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using namespace std::chrono_literals;
using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:00.000Z");

NewDevice newDevice(const std::string& id) {
  return {.id = id,
          .secretHash = common::sha256Hex("secret of " + id),
          .name = "Laptop " + id,
          .hostname = "club-" + id,
          .os = "Debian GNU/Linux 12",
          .agentVersion = "0.1.0"};
}

common::Event heartbeat(std::int64_t sequence, Timestamp time) {
  common::Event event;
  event.sequence = sequence;
  event.time = time;
  event.type = common::EventType::Heartbeat;
  event.payload->set("uptime_seconds", 60);
  event.payload->set("queue_depth", 0);
  event.payload->set("agent_version", "0.1.0");
  return event;
}

common::Batch batchOf(const std::string& deviceId, std::int64_t backlog,
                      std::vector<common::Event> events) {
  for (auto& event : events) event.deviceId = deviceId;
  return {.header = {.version = common::kBatchVersion, .deviceId = deviceId, .backlog = backlog},
          .events = std::move(events)};
}

class SqliteStorageTest : public ::testing::Test {
 protected:
  // A token made a minute before kNow, live for a day.
  std::int64_t makeToken(const std::string& token) {
    return storage().createEnrolmentToken(common::sha256Hex(token), "Laptop trolley", "alice",
                                          kNow - 1min, kNow + 24h, audit("enrolment_token.create"));
  }

  static AuditEntry audit(const std::string& action, const std::string& target = {}) {
    return {kNow, "alice", action, target, ""};
  }

  void enrol(const std::string& deviceId) {
    const std::string token = "token for " + deviceId;
    makeToken(token);
    ASSERT_TRUE(storage().enrolDevice(common::sha256Hex(token), newDevice(deviceId), kNow));
  }

  EnrolmentTokenRecord onlyToken() {
    const auto tokens = storage().listEnrolmentTokens();
    if (tokens.size() != 1) throw std::logic_error("expected exactly one token");
    return tokens.front();
  }

  SqliteStorage& storage() { return test_.storage; }

  testing::TestStorage test_;
};

TEST_F(SqliteStorageTest, OpeningCreatesTheDirectoryAndFile) {
  EXPECT_TRUE(std::filesystem::exists(test_.file));
}

TEST_F(SqliteStorageTest, TokenEnrolsOneDeviceOnce) {
  const auto id = makeToken("one-time");
  const auto created = onlyToken();
  EXPECT_EQ(created.id, id);
  EXPECT_EQ(created.label, "Laptop trolley");
  EXPECT_EQ(created.createdBy, "alice");
  EXPECT_EQ(created.expiresAt, kNow + 24h);
  EXPECT_FALSE(created.usedAt.has_value());

  ASSERT_TRUE(storage().enrolDevice(common::sha256Hex("one-time"), newDevice("dev_a"), kNow));
  const auto used = onlyToken();
  EXPECT_EQ(used.usedAt, kNow);
  EXPECT_EQ(used.usedByDevice, "dev_a");
  const auto device = storage().findDevice("dev_a");
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->name, "Laptop dev_a");
  EXPECT_EQ(device->hostname, "club-dev_a");
  EXPECT_EQ(device->enrolledAt, kNow);
  EXPECT_FALSE(device->lastSeen.has_value());
  EXPECT_FALSE(device->revoked);

  EXPECT_FALSE(storage().enrolDevice(common::sha256Hex("one-time"), newDevice("dev_b"), kNow));
  EXPECT_FALSE(storage().findDevice("dev_b").has_value());
  EXPECT_EQ(onlyToken().usedByDevice, "dev_a");
}

TEST_F(SqliteStorageTest, UnknownTokenEnrolsNothing) {
  makeToken("real");
  EXPECT_FALSE(storage().enrolDevice(common::sha256Hex("guess"), newDevice("dev_a"), kNow));
  EXPECT_TRUE(storage().listDevices().empty());
  EXPECT_FALSE(onlyToken().usedAt.has_value());
}

TEST_F(SqliteStorageTest, ExpiredTokenEnrolsNothing) {
  makeToken("late");
  EXPECT_FALSE(storage().enrolDevice(common::sha256Hex("late"), newDevice("dev_a"), kNow + 24h));
  EXPECT_TRUE(storage().listDevices().empty());
  EXPECT_FALSE(onlyToken().usedAt.has_value());
  EXPECT_TRUE(
      storage().enrolDevice(common::sha256Hex("late"), newDevice("dev_a"), kNow + 24h - 1ms));
}

TEST_F(SqliteStorageTest, RevokedTokenEnrolsNothingAndRevokesOnce) {
  const auto id = makeToken("withdrawn");
  EXPECT_TRUE(storage().revokeEnrolmentToken(id, audit("enrolment_token.revoke")));
  EXPECT_TRUE(onlyToken().revoked);
  EXPECT_FALSE(storage().revokeEnrolmentToken(id, audit("enrolment_token.revoke")));
  EXPECT_FALSE(storage().revokeEnrolmentToken(id + 1, audit("enrolment_token.revoke")));
  EXPECT_FALSE(storage().enrolDevice(common::sha256Hex("withdrawn"), newDevice("dev_a"), kNow));
  EXPECT_TRUE(storage().listDevices().empty());
}

TEST_F(SqliteStorageTest, UsedTokenCannotBeRevoked) {
  enrol("dev_a");
  EXPECT_FALSE(storage().revokeEnrolmentToken(onlyToken().id, audit("enrolment_token.revoke")));
  EXPECT_FALSE(onlyToken().revoked);
}

TEST_F(SqliteStorageTest, RevokedDeviceHasNoActiveSecret) {
  enrol("dev_a");
  EXPECT_EQ(storage().activeDeviceSecretHash("dev_a"), common::sha256Hex("secret of dev_a"));
  EXPECT_TRUE(storage().revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(storage().activeDeviceSecretHash("dev_a").has_value());
  EXPECT_TRUE(storage().findDevice("dev_a")->revoked);
  EXPECT_TRUE(storage().revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(storage().revokeDevice("dev_unknown", audit("device.revoke", "dev_unknown")));
  EXPECT_FALSE(storage().activeDeviceSecretHash("dev_unknown").has_value());
}

TEST_F(SqliteStorageTest, StoringTheSameBatchTwiceStoresItOnce) {
  enrol("dev_a");
  const auto batch = batchOf(
      "dev_a", 12, {heartbeat(1, kNow - 90s), heartbeat(2, kNow - 30s), heartbeat(3, kNow - 10s)});

  const auto first = storage().storeEvents(batch, kNow);
  EXPECT_EQ(first.stored, 3U);
  EXPECT_EQ(first.highestSequence, 3);
  const auto again = storage().storeEvents(batch, kNow + 5s);
  EXPECT_EQ(again.stored, 0U);
  EXPECT_EQ(again.highestSequence, 3);
  EXPECT_EQ(storage().countEvents("dev_a"), 3);

  const auto device = storage().findDevice("dev_a");
  EXPECT_EQ(device->highestSequence, 3);
  EXPECT_EQ(device->backlog, 12);
  EXPECT_EQ(device->queueLagSeconds, 95);
  EXPECT_EQ(device->lastSeen, kNow + 5s);
}

TEST_F(SqliteStorageTest, PartlyKnownBatchStoresOnlyTheNewEvents) {
  enrol("dev_a");
  (void)storage().storeEvents(batchOf("dev_a", 0, {heartbeat(1, kNow), heartbeat(2, kNow)}), kNow);

  const auto result =
      storage().storeEvents(batchOf("dev_a", 0, {heartbeat(2, kNow), heartbeat(5, kNow)}), kNow);
  EXPECT_EQ(result.stored, 1U);
  EXPECT_EQ(result.highestSequence, 5);

  // A late event below the highest fills its gap and leaves the highest alone.
  const auto late = storage().storeEvents(batchOf("dev_a", 0, {heartbeat(4, kNow)}), kNow);
  EXPECT_EQ(late.stored, 1U);
  EXPECT_EQ(late.highestSequence, 5);
  EXPECT_EQ(storage().countEvents("dev_a"), 4);
}

TEST_F(SqliteStorageTest, EmptyBatchUpdatesBacklogAndKeepsLag) {
  enrol("dev_a");
  (void)storage().storeEvents(batchOf("dev_a", 3, {heartbeat(1, kNow - 1min)}), kNow);

  const auto result = storage().storeEvents(batchOf("dev_a", 7, {}), kNow + 1h);
  EXPECT_EQ(result.stored, 0U);
  EXPECT_EQ(result.highestSequence, 1);
  const auto device = storage().findDevice("dev_a");
  EXPECT_EQ(device->backlog, 7);
  EXPECT_EQ(device->queueLagSeconds, 60);
  EXPECT_EQ(device->lastSeen, kNow + 1h);
}

TEST_F(SqliteStorageTest, EventsFromTheFutureGiveNoNegativeLag) {
  enrol("dev_a");
  (void)storage().storeEvents(batchOf("dev_a", 0, {heartbeat(1, kNow + 10min)}), kNow);
  EXPECT_EQ(storage().findDevice("dev_a")->queueLagSeconds, 0);
}

TEST_F(SqliteStorageTest, EventIsStoredAsCompactJsonWithTextTimes) {
  enrol("dev_a");
  auto event = heartbeat(1, at("2026-11-24T19:57:10.123Z"));
  event.osUser = "youth";
  event.member = "M042";
  event.profile = "seniors";
  (void)storage().storeEvents(batchOf("dev_a", 0, {event}), kNow);

  Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, test_.file.string());
  std::string type, time, osUser, member, profile, payload, receivedAt;
  session << "SELECT type, time, os_user, member, profile, payload, received_at FROM events",
      db::into(type), db::into(time), db::into(osUser), db::into(member), db::into(profile),
      db::into(payload), db::into(receivedAt), db::now;
  EXPECT_EQ(type, "heartbeat");
  EXPECT_EQ(time, "2026-11-24T19:57:10.123Z");
  EXPECT_EQ(osUser, "youth");
  EXPECT_EQ(member, "M042");
  EXPECT_EQ(profile, "seniors");
  EXPECT_EQ(payload, R"({"agent_version":"0.1.0","queue_depth":0,"uptime_seconds":60})");
  EXPECT_EQ(receivedAt, "2026-11-24T20:00:00.000Z");
}

TEST_F(SqliteStorageTest, EventsOfAnUnknownDeviceAreRefused) {
  EXPECT_THROW((void)storage().storeEvents(batchOf("dev_ghost", 0, {heartbeat(1, kNow)}), kNow),
               std::runtime_error);
  EXPECT_EQ(storage().countEvents("dev_ghost"), 0);
}

TEST_F(SqliteStorageTest, MarkDeviceSeenMovesLastSeen) {
  enrol("dev_a");
  storage().markDeviceSeen("dev_a", kNow + 2h);
  EXPECT_EQ(storage().findDevice("dev_a")->lastSeen, kNow + 2h);
}

TEST_F(SqliteStorageTest, ConcurrentBatchesFromManyDevicesAreAllStored) {
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
        (void)storage().storeEvents(batchOf(deviceId, 0, std::move(events)), kNow);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (const auto& device : storage().listDevices()) {
    EXPECT_EQ(storage().countEvents(device.id), kBatches * kEventsPerBatch);
    EXPECT_EQ(device.highestSequence, kBatches * kEventsPerBatch);
  }
}

TEST_F(SqliteStorageTest, UsersAreFoundByNameAndIdAndNamesAreUnique) {
  EXPECT_EQ(storage().countUsers(), 0U);
  const auto id = storage().createUser("alice", "manager", "stored-hash", true);
  EXPECT_EQ(storage().countUsers(), 1U);
  EXPECT_THROW(storage().createUser("alice", "manager", "other", false), std::runtime_error);

  const auto byName = storage().findUserByName("alice");
  ASSERT_TRUE(byName.has_value());
  EXPECT_EQ(byName->id, id);
  EXPECT_EQ(byName->role, "manager");
  EXPECT_EQ(byName->passwordHash, "stored-hash");
  EXPECT_TRUE(byName->mustChangePassword);
  EXPECT_EQ(byName->failedLogins, 0);
  EXPECT_FALSE(byName->lockedUntil.has_value());
  EXPECT_EQ(storage().findUserById(id)->username, "alice");
  EXPECT_FALSE(storage().findUserByName("bob").has_value());
  EXPECT_FALSE(storage().findUserById(id + 1).has_value());
}

TEST_F(SqliteStorageTest, LoginFailuresCountUntilASuccess) {
  const auto id = storage().createUser("alice", "manager", "stored-hash", false);
  storage().recordLoginFailure(id, std::nullopt);
  storage().recordLoginFailure(id, kNow + 15min);
  auto user = storage().findUserById(id);
  EXPECT_EQ(user->failedLogins, 2);
  EXPECT_EQ(user->lockedUntil, kNow + 15min);

  storage().recordLoginSuccess(id);
  user = storage().findUserById(id);
  EXPECT_EQ(user->failedLogins, 0);
  EXPECT_FALSE(user->lockedUntil.has_value());

  storage().setPassword(id, "new-hash", false, audit("console.password_changed", "alice"));
  EXPECT_EQ(storage().findUserById(id)->passwordHash, "new-hash");
  EXPECT_FALSE(storage().findUserById(id)->mustChangePassword);
}

TEST_F(SqliteStorageTest, SessionsAreKeptTouchedAndDeleted) {
  const auto alice = storage().createUser("alice", "manager", "h", false);
  const auto bob = storage().createUser("bob", "manager", "h", false);
  storage().createSession({"a1", alice, "csrf-a1", kNow, kNow});
  storage().createSession({"a2", alice, "csrf-a2", kNow, kNow});
  storage().createSession({"b1", bob, "csrf-b1", kNow, kNow});

  storage().touchSession("a1", kNow + 20min);
  const auto a1 = storage().findSession("a1");
  ASSERT_TRUE(a1.has_value());
  EXPECT_EQ(a1->userId, alice);
  EXPECT_EQ(a1->csrfToken, "csrf-a1");
  EXPECT_EQ(a1->createdAt, kNow);
  EXPECT_EQ(a1->lastUsedAt, kNow + 20min);

  storage().deleteSessionsIdleSince(kNow + 10min);
  EXPECT_TRUE(storage().findSession("a1").has_value());
  EXPECT_FALSE(storage().findSession("a2").has_value());
  EXPECT_FALSE(storage().findSession("b1").has_value());

  storage().createSession({"b2", bob, "csrf-b2", kNow, kNow});
  storage().deleteSessionsOfUser(alice);
  EXPECT_FALSE(storage().findSession("a1").has_value());
  EXPECT_TRUE(storage().findSession("b2").has_value());
  storage().deleteSession("b2");
  EXPECT_FALSE(storage().findSession("b2").has_value());
}

TEST_F(SqliteStorageTest, FirstPolicyIsVersionOneWithAStrongEtagThatLasts) {
  const auto policy = storage().currentPolicy();
  EXPECT_EQ(policy.version, 1);
  EXPECT_EQ(policy.body, R"({"policy_version":1})");
  EXPECT_EQ(policy.etag, '"' + common::sha256Hex(policy.body) + '"');

  const auto again = storage().currentPolicy();
  EXPECT_EQ(again.version, 1);
  EXPECT_EQ(again.etag, policy.etag);
  SqliteStorage reopened(test_.file);
  EXPECT_EQ(reopened.currentPolicy().etag, policy.etag);
}

TEST_F(SqliteStorageTest, ConsoleChangesWriteTheirAuditEntryOnlyWhenTheyChangeSomething) {
  const auto token = makeToken("trolley");
  EXPECT_TRUE(storage().revokeEnrolmentToken(token, audit("enrolment_token.revoke", "1")));
  EXPECT_FALSE(storage().revokeEnrolmentToken(token, audit("enrolment_token.revoke", "1")));
  enrol("dev_a");
  EXPECT_TRUE(storage().revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(storage().revokeDevice("dev_b", audit("device.revoke", "dev_b")));

  const auto entries = storage().listAudit(10);
  ASSERT_EQ(entries.size(), 4U);  // newest first
  EXPECT_EQ(entries[0].action, "device.revoke");
  EXPECT_EQ(entries[0].target, "dev_a");
  EXPECT_EQ(entries[1].action, "enrolment_token.create");  // dev_a's token
  EXPECT_EQ(entries[2].action, "enrolment_token.revoke");
  EXPECT_EQ(entries[3].action, "enrolment_token.create");
  EXPECT_EQ(entries[3].target, std::to_string(token));  // the storage names the new token
}

// The audit row is written in the change's own transaction: when it cannot be written, the
// change is not made either.
TEST_F(SqliteStorageTest, AChangeWhoseAuditEntryCannotBeWrittenIsNotMade) {
  enrol("dev_a");
  const auto token = makeToken("spare");
  {
    Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, test_.file.string());
    other << "DROP TABLE audit_log", db::now;
  }
  EXPECT_THROW((void)storage().revokeDevice("dev_a", audit("device.revoke", "dev_a")),
               std::runtime_error);
  EXPECT_FALSE(storage().findDevice("dev_a")->revoked);
  EXPECT_THROW((void)storage().revokeEnrolmentToken(token, audit("enrolment_token.revoke")),
               std::runtime_error);
  EXPECT_THROW((void)makeToken("another"), std::runtime_error);
  const auto tokens = storage().listEnrolmentTokens();
  EXPECT_EQ(tokens.size(), 2U);
  EXPECT_TRUE(std::ranges::none_of(tokens, [](const auto& t) { return t.revoked; }));
}

TEST_F(SqliteStorageTest, AuditLogListsNewestFirstUpToTheLimit) {
  for (int i = 0; i < 3; ++i) {
    storage().recordAudit({kNow + std::chrono::minutes(i), "alice", "device.revoke",
                           "dev_" + std::to_string(i), "because"});
  }
  const auto entries = storage().listAudit(2);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].target, "dev_2");
  EXPECT_EQ(entries[0].time, kNow + 2min);
  EXPECT_EQ(entries[0].actor, "alice");
  EXPECT_EQ(entries[0].action, "device.revoke");
  EXPECT_EQ(entries[0].detail, "because");
  EXPECT_EQ(entries[1].target, "dev_1");
}

}  // namespace
}  // namespace clubsafe::collector
