#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

class AccountStoreTest : public StoreTest {};

TEST_F(AccountStoreTest, UsersAreFoundByNameAndIdAndNamesAreUnique) {
  EXPECT_EQ(stores().accounts.countUsers(), 0U);
  const auto id = stores().accounts.createUser("alice", "manager", "stored-hash", true);
  EXPECT_EQ(stores().accounts.countUsers(), 1U);
  EXPECT_THROW(stores().accounts.createUser("alice", "manager", "other", false),
               std::runtime_error);

  const auto byName = stores().accounts.findUserByName("alice");
  ASSERT_TRUE(byName.has_value());
  EXPECT_EQ(byName->id, id);
  EXPECT_EQ(byName->role, "manager");
  EXPECT_EQ(byName->passwordHash, "stored-hash");
  EXPECT_TRUE(byName->mustChangePassword);
  EXPECT_EQ(byName->failedLogins, 0);
  EXPECT_FALSE(byName->lockedUntil.has_value());
  EXPECT_EQ(stores().accounts.findUserById(id)->username, "alice");
  EXPECT_FALSE(stores().accounts.findUserByName("bob").has_value());
  EXPECT_FALSE(stores().accounts.findUserById(id + 1).has_value());
}

TEST_F(AccountStoreTest, LoginFailuresCountUntilASuccess) {
  const auto id = stores().accounts.createUser("alice", "manager", "stored-hash", false);
  stores().accounts.recordLoginFailure(id, std::nullopt);
  stores().accounts.recordLoginFailure(id, kNow + 15min);
  auto user = stores().accounts.findUserById(id);
  EXPECT_EQ(user->failedLogins, 2);
  EXPECT_EQ(user->lockedUntil, kNow + 15min);

  stores().accounts.recordLoginSuccess({"s1", id, "csrf-s1", kNow, kNow}, audit("console.login"));
  user = stores().accounts.findUserById(id);
  EXPECT_EQ(user->failedLogins, 0);
  EXPECT_FALSE(user->lockedUntil.has_value());
  EXPECT_EQ(stores().accounts.findSession("s1")->userId, id);
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "console.login");

  stores().accounts.setPassword(id, "new-hash", false, audit("console.password_changed", "alice"));
  EXPECT_EQ(stores().accounts.findUserById(id)->passwordHash, "new-hash");
  EXPECT_FALSE(stores().accounts.findUserById(id)->mustChangePassword);
}

TEST_F(AccountStoreTest, SessionsAreKeptTouchedAndDeleted) {
  const auto alice = stores().accounts.createUser("alice", "manager", "h", false);
  const auto bob = stores().accounts.createUser("bob", "manager", "h", false);
  stores().accounts.createSession({"a1", alice, "csrf-a1", kNow, kNow});
  stores().accounts.createSession({"a2", alice, "csrf-a2", kNow, kNow});
  stores().accounts.createSession({"b1", bob, "csrf-b1", kNow, kNow});

  stores().accounts.touchSession("a1", kNow + 20min);
  const auto a1 = stores().accounts.findSession("a1");
  ASSERT_TRUE(a1.has_value());
  EXPECT_EQ(a1->userId, alice);
  EXPECT_EQ(a1->csrfToken, "csrf-a1");
  EXPECT_EQ(a1->createdAt, kNow);
  EXPECT_EQ(a1->lastUsedAt, kNow + 20min);

  stores().accounts.deleteSessionsIdleSince(kNow + 10min);
  EXPECT_TRUE(stores().accounts.findSession("a1").has_value());
  EXPECT_FALSE(stores().accounts.findSession("a2").has_value());
  EXPECT_FALSE(stores().accounts.findSession("b1").has_value());

  stores().accounts.createSession({"b2", bob, "csrf-b2", kNow, kNow});
  stores().accounts.deleteSessionsOfUser(alice);
  EXPECT_FALSE(stores().accounts.findSession("a1").has_value());
  EXPECT_TRUE(stores().accounts.findSession("b2").has_value());
  stores().accounts.deleteSession("b2");
  EXPECT_FALSE(stores().accounts.findSession("b2").has_value());
}

// A sign-in and its audit row are one transaction: when the row cannot be written, there is no
// session and the failures still count.
TEST_F(AccountStoreTest, ASignInWhoseAuditEntryCannotBeWrittenIsNotMade) {
  const auto id = stores().accounts.createUser("alice", "manager", "stored-hash", false);
  stores().accounts.recordLoginFailure(id, std::nullopt);
  {
    Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, test_.file.string());
    other << "DROP TABLE audit_log", db::now;
  }
  EXPECT_THROW(stores().accounts.recordLoginSuccess({"s1", id, "csrf-s1", kNow, kNow},
                                                    audit("console.login")),
               std::runtime_error);
  EXPECT_FALSE(stores().accounts.findSession("s1").has_value());
  EXPECT_EQ(stores().accounts.findUserById(id)->failedLogins, 1);
}

}  // namespace
}  // namespace clubsafe::collector::store_test
