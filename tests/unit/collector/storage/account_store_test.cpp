#include "collector/storage/migrations.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <latch>
#include <thread>

namespace clubsafe::collector::store_test {
namespace {

namespace db = Poco::Data::Keywords;

class AccountStoreTest : public StoreTest {
 protected:
  std::int64_t addUser(const std::string& name, std::vector<std::string> roles = {"manager"},
                       bool mustChange = false) {
    return stores().accounts.createUser({.username = name,
                                         .roles = std::move(roles),
                                         .passwordHash = "stored-hash",
                                         .mustChangePassword = mustChange},
                                        audit("console.user_added", name));
  }
  void startSession(const std::string& idHash, std::int64_t userId) {
    ASSERT_TRUE(stores().accounts.recordLoginSuccess({idHash, userId, "csrf-" + idHash, kNow, kNow},
                                                     audit("console.login"), kNow));
  }
  ConsoleUser user(std::int64_t id) { return *stores().accounts.findUserById(id); }

  const LockoutRule kLockAfterFive{.failures = 5, .lockUntil = kNow + 15min};
};

TEST_F(AccountStoreTest, UsersAreFoundByNameAndIdAndNamesAreUnique) {
  EXPECT_EQ(stores().accounts.countUsers(), 0U);
  const auto id = addUser("alice", {"manager", "dsl"}, true);
  EXPECT_EQ(stores().accounts.countUsers(), 1U);
  EXPECT_THROW(addUser("alice"), UserNameTakenError);
  EXPECT_EQ(stores().accounts.countUsers(), 1U);

  const auto byName = stores().accounts.findUserByName("alice");
  ASSERT_TRUE(byName.has_value());
  EXPECT_EQ(byName->id, id);
  EXPECT_EQ(byName->roles, (std::vector<std::string>{"dsl", "manager"}));
  EXPECT_TRUE(byName->hasRole("dsl"));
  EXPECT_FALSE(byName->hasRole("worker"));
  EXPECT_EQ(byName->passwordHash, "stored-hash");
  EXPECT_TRUE(byName->mustChangePassword);
  EXPECT_EQ(byName->failedLogins, 0);
  EXPECT_FALSE(byName->lockedUntil.has_value());
  EXPECT_FALSE(byName->disabledAt.has_value());
  EXPECT_EQ(user(id).username, "alice");
  EXPECT_FALSE(stores().accounts.findUserByName("bob").has_value());
  EXPECT_FALSE(stores().accounts.findUserById(id + 1).has_value());
  const auto audit = stores().audit.listAudit(10);
  ASSERT_EQ(audit.size(), 1U) << "the refused second alice wrote nothing";
  EXPECT_EQ(audit[0].action, "console.user_added");
}

TEST_F(AccountStoreTest, UsersAreListedByNameWithTheirRoles) {
  addUser("zoe", {"worker"});
  addUser("alice", {"manager", "dsl", "trustee"});
  const auto users = stores().accounts.listUsers();
  ASSERT_EQ(users.size(), 2U);
  EXPECT_EQ(users[0].username, "alice");
  EXPECT_EQ(users[0].roles, (std::vector<std::string>{"dsl", "manager", "trustee"}));
  EXPECT_EQ(users[1].roles, std::vector<std::string>{"worker"});
}

TEST_F(AccountStoreTest, RolesChangeWithTheirAuditEntry) {
  addUser("alice");
  const auto bob = addUser("bob", {"worker"});
  EXPECT_TRUE(stores().accounts.setRoles(bob, {"trustee", "worker"},
                                         audit("console.user_roles_changed", "bob")));
  EXPECT_EQ(user(bob).roles, (std::vector<std::string>{"trustee", "worker"}));
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "console.user_roles_changed");
  EXPECT_FALSE(stores().accounts.setRoles(bob + 100, {"dsl"}, audit("x")));
}

TEST_F(AccountStoreTest, NoChangeLeavesTheClubWithoutAnEnabledManager) {
  const auto alice = addUser("alice", {"manager", "dsl"});
  const auto bob = addUser("bob", {"worker"});
  EXPECT_THROW((void)stores().accounts.setRoles(alice, {"dsl"}, audit("roles")), LastManagerError);
  EXPECT_THROW((void)stores().accounts.setDisabled(alice, kNow, audit("disable")),
               LastManagerError);
  EXPECT_EQ(user(alice).roles, (std::vector<std::string>{"dsl", "manager"}));
  EXPECT_FALSE(user(alice).disabledAt.has_value());

  // With a second manager, the first may go.
  EXPECT_TRUE(stores().accounts.setRoles(bob, {"manager"}, audit("roles")));
  EXPECT_TRUE(stores().accounts.setDisabled(alice, kNow, audit("disable")));
  EXPECT_THROW((void)stores().accounts.setRoles(bob, {"worker"}, audit("roles")), LastManagerError);
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "disable");
}

TEST_F(AccountStoreTest, DisablingEndsTheUsersSessionsAndStopsSignIns) {
  addUser("alice");
  const auto bob = addUser("bob", {"worker"});
  startSession("b1", bob);
  EXPECT_TRUE(stores().accounts.setDisabled(bob, kNow, audit("console.user_disabled", "bob")));
  EXPECT_EQ(user(bob).disabledAt, kNow);
  EXPECT_FALSE(stores().accounts.findSession("b1").has_value());
  EXPECT_FALSE(stores().accounts.recordLoginSuccess({"b2", bob, "c", kNow, kNow},
                                                    audit("console.login"), kNow));
  EXPECT_FALSE(stores().accounts.findSession("b2").has_value());

  EXPECT_TRUE(stores().accounts.setDisabled(bob, std::nullopt, audit("console.user_enabled")));
  EXPECT_FALSE(user(bob).disabledAt.has_value());
  startSession("b3", bob);
  EXPECT_FALSE(stores().accounts.setDisabled(bob + 100, kNow, audit("x")));
}

TEST_F(AccountStoreTest, AResetGivesAOneTimePasswordAndEndsLockAndSessions) {
  const auto id = addUser("alice");
  startSession("a1", id);
  for (int i = 0; i < 5; ++i) (void)stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow);
  ASSERT_TRUE(user(id).lockedUntil.has_value());

  EXPECT_TRUE(stores().accounts.resetPassword(id, "one-time-hash",
                                              audit("console.user_password_reset", "alice")));
  const auto reset = user(id);
  EXPECT_EQ(reset.passwordHash, "one-time-hash");
  EXPECT_TRUE(reset.mustChangePassword);
  EXPECT_EQ(reset.failedLogins, 0);
  EXPECT_FALSE(reset.lockedUntil.has_value());
  EXPECT_FALSE(stores().accounts.findSession("a1").has_value());
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "console.user_password_reset");
  EXPECT_FALSE(stores().accounts.resetPassword(id + 100, "h", audit("x")));
}

TEST_F(AccountStoreTest, EveryFifthFailureLocksAndALockIsNeitherCountedAgainstNorStretched) {
  const auto id = addUser("alice");
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow).has_value());
  }
  EXPECT_EQ(stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow), kNow + 15min);
  // A check that ends while the lock holds: not counted, and the lock stays as it was.
  const LockoutRule later{.failures = 5, .lockUntil = kNow + 20min};
  EXPECT_EQ(stores().accounts.recordLoginFailure(id, later, kNow + 5min), kNow + 15min);
  EXPECT_EQ(user(id).failedLogins, 5);
  // Once it has run out, four more tries go unlocked and the fifth locks again.
  const LockoutRule afterwards{.failures = 5, .lockUntil = kNow + 31min};
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(stores().accounts.recordLoginFailure(id, afterwards, kNow + 16min).has_value());
  }
  EXPECT_EQ(stores().accounts.recordLoginFailure(id, afterwards, kNow + 16min), kNow + 31min);
  EXPECT_EQ(user(id).failedLogins, 10);
}

TEST_F(AccountStoreTest, FailuresRecordedAtOnceAreEachCountedAndLockOnce) {
  const auto id = addUser("alice");
  constexpr int kFailures = 20;
  {
    std::latch start(kFailures);
    std::vector<std::jthread> threads;
    for (int i = 0; i < kFailures; ++i) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        (void)stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow);
      });
    }
  }
  EXPECT_EQ(user(id).failedLogins, 5) << "failures during the lock are not counted";
  EXPECT_EQ(user(id).lockedUntil, kNow + 15min);
}

TEST_F(AccountStoreTest, ASignInIsRefusedWhileLockedAndClearsFailuresOtherwise) {
  const auto id = addUser("alice");
  for (int i = 0; i < 5; ++i) (void)stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow);
  // The lock another attempt set while this one's password was being checked.
  EXPECT_FALSE(stores().accounts.recordLoginSuccess({"s0", id, "c", kNow, kNow},
                                                    audit("console.login"), kNow + 1min));
  EXPECT_FALSE(stores().accounts.findSession("s0").has_value());

  EXPECT_TRUE(stores().accounts.recordLoginSuccess({"s1", id, "csrf-s1", kNow, kNow},
                                                   audit("console.login"), kNow + 15min));
  EXPECT_EQ(user(id).failedLogins, 0);
  EXPECT_FALSE(user(id).lockedUntil.has_value());
  EXPECT_EQ(stores().accounts.findSession("s1")->userId, id);
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "console.login");
}

TEST_F(AccountStoreTest, ANewPasswordEndsEverySessionAndMayStartOne) {
  const auto id = addUser("alice", {"manager"}, true);
  const auto bob = addUser("bob");
  startSession("a1", id);
  startSession("b1", bob);
  stores().accounts.setPassword(id, "new-hash", false, SessionRecord{"a2", id, "c2", kNow, kNow},
                                audit("console.password_changed", "alice"));
  EXPECT_EQ(user(id).passwordHash, "new-hash");
  EXPECT_FALSE(user(id).mustChangePassword);
  EXPECT_FALSE(stores().accounts.findSession("a1").has_value());
  EXPECT_TRUE(stores().accounts.findSession("a2").has_value());
  EXPECT_TRUE(stores().accounts.findSession("b1").has_value());
  EXPECT_EQ(stores().audit.listAudit(1).at(0).action, "console.password_changed");
}

TEST_F(AccountStoreTest, SessionsAreKeptTouchedAndDeleted) {
  const auto alice = addUser("alice");
  startSession("a1", alice);
  startSession("a2", alice);

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
  stores().accounts.deleteSession("a1");
  EXPECT_FALSE(stores().accounts.findSession("a1").has_value());
}

// A sign-in and its audit row are one transaction: when the row cannot be written, there is no
// session and the failures still count.
TEST_F(AccountStoreTest, ASignInWhoseAuditEntryCannotBeWrittenIsNotMade) {
  const auto id = addUser("alice");
  (void)stores().accounts.recordLoginFailure(id, kLockAfterFive, kNow);
  {
    Poco::Data::Session other(Poco::Data::SQLite::Connector::KEY, test_.file.string());
    other << "DROP TABLE audit_log", db::now;
  }
  EXPECT_THROW((void)stores().accounts.recordLoginSuccess({"s1", id, "csrf-s1", kNow, kNow},
                                                          audit("console.login"), kNow),
               std::runtime_error);
  EXPECT_FALSE(stores().accounts.findSession("s1").has_value());
  EXPECT_EQ(user(id).failedLogins, 1);
}

// Migration 14: the one role each user had before becomes their first role.
TEST(AccountStoreMigration, UsersFromBeforeSeveralRolesKeepTheirRole) {
  testing::TempDir directory;
  const auto file = directory.path() / "collector.db";
  Poco::Data::SQLite::Connector::registerConnector();
  {
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    std::vector<Migration> before;
    for (const auto& migration : sqliteMigrations()) {
      if (migration.version < 14) before.push_back(migration);
    }
    (void)applyMigrations(session, before, kNow);
    session << "INSERT INTO console_users (username, role, password_hash) VALUES "
               "('alice', 'manager', 'h'), ('tess', 'trustee', 'h')",
        db::now;
  }
  SqliteStores stores(file);
  EXPECT_EQ(stores.stores().accounts.findUserByName("alice")->roles,
            std::vector<std::string>{"manager"});
  EXPECT_EQ(stores.stores().accounts.findUserByName("tess")->roles,
            std::vector<std::string>{"trustee"});
  EXPECT_FALSE(stores.stores().accounts.findUserByName("tess")->disabledAt.has_value());
}

}  // namespace
}  // namespace clubsafe::collector::store_test
