#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <algorithm>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

class DeviceStoreTest : public StoreTest {};

TEST_F(DeviceStoreTest, TokenEnrolsOneDeviceOnce) {
  const auto id = makeToken("one-time");
  const auto created = onlyToken();
  EXPECT_EQ(created.id, id);
  EXPECT_EQ(created.label, "Laptop trolley");
  EXPECT_EQ(created.createdBy, "alice");
  EXPECT_EQ(created.expiresAt, kNow + 24h);
  EXPECT_FALSE(created.usedAt.has_value());

  ASSERT_TRUE(
      stores().devices.enrolDevice(common::sha256Hex("one-time"), newDevice("dev_a"), kNow));
  const auto used = onlyToken();
  EXPECT_EQ(used.usedAt, kNow);
  EXPECT_EQ(used.usedByDevice, "dev_a");
  const auto device = stores().devices.findDevice("dev_a");
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->name, "Laptop dev_a");
  EXPECT_EQ(device->hostname, "club-dev_a");
  EXPECT_EQ(device->enrolledAt, kNow);
  EXPECT_FALSE(device->lastSeen.has_value());
  EXPECT_FALSE(device->revoked);

  EXPECT_FALSE(
      stores().devices.enrolDevice(common::sha256Hex("one-time"), newDevice("dev_b"), kNow));
  EXPECT_FALSE(stores().devices.findDevice("dev_b").has_value());
  EXPECT_EQ(onlyToken().usedByDevice, "dev_a");
}

TEST_F(DeviceStoreTest, UnknownTokenEnrolsNothing) {
  makeToken("real");
  EXPECT_FALSE(stores().devices.enrolDevice(common::sha256Hex("guess"), newDevice("dev_a"), kNow));
  EXPECT_TRUE(stores().devices.listDevices().empty());
  EXPECT_FALSE(onlyToken().usedAt.has_value());
}

TEST_F(DeviceStoreTest, ExpiredTokenEnrolsNothing) {
  makeToken("late");
  EXPECT_FALSE(
      stores().devices.enrolDevice(common::sha256Hex("late"), newDevice("dev_a"), kNow + 24h));
  EXPECT_TRUE(stores().devices.listDevices().empty());
  EXPECT_FALSE(onlyToken().usedAt.has_value());
  EXPECT_TRUE(stores().devices.enrolDevice(common::sha256Hex("late"), newDevice("dev_a"),
                                           kNow + 24h - 1ms));
}

TEST_F(DeviceStoreTest, RevokedTokenEnrolsNothingAndRevokesOnce) {
  const auto id = makeToken("withdrawn");
  EXPECT_TRUE(stores().devices.revokeEnrolmentToken(id, audit("enrolment_token.revoke")));
  EXPECT_TRUE(onlyToken().revoked);
  EXPECT_FALSE(stores().devices.revokeEnrolmentToken(id, audit("enrolment_token.revoke")));
  EXPECT_FALSE(stores().devices.revokeEnrolmentToken(id + 1, audit("enrolment_token.revoke")));
  EXPECT_FALSE(
      stores().devices.enrolDevice(common::sha256Hex("withdrawn"), newDevice("dev_a"), kNow));
  EXPECT_TRUE(stores().devices.listDevices().empty());
}

TEST_F(DeviceStoreTest, UsedTokenCannotBeRevoked) {
  enrol("dev_a");
  EXPECT_FALSE(
      stores().devices.revokeEnrolmentToken(onlyToken().id, audit("enrolment_token.revoke")));
  EXPECT_FALSE(onlyToken().revoked);
}

TEST_F(DeviceStoreTest, RevokedDeviceHasNoActiveSecret) {
  enrol("dev_a");
  EXPECT_EQ(stores().devices.activeDeviceSecretHash("dev_a"), common::sha256Hex("secret of dev_a"));
  EXPECT_TRUE(stores().devices.revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(stores().devices.activeDeviceSecretHash("dev_a").has_value());
  EXPECT_TRUE(stores().devices.findDevice("dev_a")->revoked);
  EXPECT_TRUE(stores().devices.revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(stores().devices.revokeDevice("dev_unknown", audit("device.revoke", "dev_unknown")));
  EXPECT_FALSE(stores().devices.activeDeviceSecretHash("dev_unknown").has_value());
}

TEST_F(DeviceStoreTest, MarkDeviceSeenMovesLastSeen) {
  enrol("dev_a");
  stores().devices.markDeviceSeen("dev_a", kNow + 2h);
  EXPECT_EQ(stores().devices.findDevice("dev_a")->lastSeen, kNow + 2h);
}

TEST_F(DeviceStoreTest, ConsoleChangesWriteTheirAuditEntryOnlyWhenTheyChangeSomething) {
  const auto token = makeToken("trolley");
  EXPECT_TRUE(stores().devices.revokeEnrolmentToken(token, audit("enrolment_token.revoke", "1")));
  EXPECT_FALSE(stores().devices.revokeEnrolmentToken(token, audit("enrolment_token.revoke", "1")));
  enrol("dev_a");
  EXPECT_TRUE(stores().devices.revokeDevice("dev_a", audit("device.revoke", "dev_a")));
  EXPECT_FALSE(stores().devices.revokeDevice("dev_b", audit("device.revoke", "dev_b")));

  const auto entries = stores().audit.listAudit(10);
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
TEST_F(DeviceStoreTest, AChangeWhoseAuditEntryCannotBeWrittenIsNotMade) {
  enrol("dev_a");
  const auto token = makeToken("spare");
  {
    Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, test_.file.string());
    other << "DROP TABLE audit_log", db::now;
  }
  EXPECT_THROW((void)stores().devices.revokeDevice("dev_a", audit("device.revoke", "dev_a")),
               std::runtime_error);
  EXPECT_FALSE(stores().devices.findDevice("dev_a")->revoked);
  EXPECT_THROW((void)stores().devices.revokeEnrolmentToken(token, audit("enrolment_token.revoke")),
               std::runtime_error);
  EXPECT_THROW((void)makeToken("another"), std::runtime_error);
  const auto tokens = stores().devices.listEnrolmentTokens();
  EXPECT_EQ(tokens.size(), 2U);
  EXPECT_TRUE(std::ranges::none_of(tokens, [](const auto& t) { return t.revoked; }));
}

}  // namespace
}  // namespace clubsafe::collector::store_test
