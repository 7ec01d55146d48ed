#include "collector/auth/console_auth.hpp"

#include "common/crypto.hpp"
#include "common/password_hash.hpp"
#include "tests/unit/collector/test_storage.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <thread>
#include <vector>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:00.000Z");
const std::string kPassword = "a long enough password";
const std::string kAddress = "192.0.2.10";

AuditEntry audit(const std::string& action) {
  return {.time = kNow, .actor = "system", .action = action, .target = {}, .detail = {}};
}

class ConsoleAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aliceId_ = stores().accounts.createUser({.username = "alice",
                                             .roles = {"manager"},
                                             .passwordHash = testing::cheapPasswordHash(kPassword),
                                             .mustChangePassword = false},
                                            audit("console.user_added"));
  }

  void setPassword(const std::string& hash, bool mustChange) {
    stores().accounts.setPassword(aliceId_, hash, mustChange, std::nullopt, {});
  }

  AuthenticatedSession signIn(Timestamp now = kNow) {
    const auto result = auth_.login("alice", kPassword, kAddress, now);
    if (result.outcome != LoginOutcome::Success) throw std::logic_error("alice cannot sign in");
    auto session = auth_.authenticate(result.sessionCookie, now);
    if (!session) throw std::logic_error("alice's new session is refused");
    return *session;
  }

  void failTimes(int count, Timestamp now) {
    for (int i = 0; i < count; ++i) {
      EXPECT_EQ(auth_.login("alice", "wrong", kAddress, now).outcome,
                LoginOutcome::WrongCredentials);
    }
  }

  ConsoleUser alice() { return *stores().accounts.findUserById(aliceId_); }
  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
  ConsoleAuth auth_{test_.stores.accounts, ConsoleAuthSettings{}};
  std::int64_t aliceId_ = 0;
};

TEST_F(ConsoleAuthTest, FirstManagerIsMadeOnceWithAOneTimePassword) {
  testing::TestStorage empty;
  ConsoleAuth auth(empty.stores.accounts, {});
  const auto password = auth.createFirstManagerIfNone("manager");
  ASSERT_TRUE(password.has_value());
  EXPECT_FALSE(auth.createFirstManagerIfNone("someone-else").has_value());
  EXPECT_EQ(empty.stores.accounts.countUsers(), 1U);

  const auto user = empty.stores.accounts.findUserByName("manager");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->roles, std::vector<std::string>{"manager"});
  EXPECT_TRUE(user->mustChangePassword);
  EXPECT_EQ(user->passwordHash.find(*password), std::string::npos);

  const auto result = auth.login("manager", *password, kAddress, kNow);
  EXPECT_EQ(result.outcome, LoginOutcome::Success);
  EXPECT_TRUE(result.user.mustChangePassword);
  const auto audit = empty.stores.audit.listAudit(10);
  ASSERT_EQ(audit.size(), 2U);
  EXPECT_EQ(audit[1].action, "console.user_added");
  EXPECT_EQ(audit[1].actor, "system");
  EXPECT_EQ(audit[1].target, "manager");
}

TEST_F(ConsoleAuthTest, SuccessStartsASessionStoredOnlyAsAHash) {
  const auto result = auth_.login("alice", kPassword, kAddress, kNow);
  ASSERT_EQ(result.outcome, LoginOutcome::Success);
  EXPECT_EQ(result.sessionCookie.size(), 43U);  // 256 bits in base64url
  EXPECT_EQ(result.csrfToken.size(), 43U);
  EXPECT_NE(result.sessionCookie, result.csrfToken);
  EXPECT_FALSE(result.user.mustChangePassword);

  EXPECT_FALSE(stores().accounts.findSession(result.sessionCookie).has_value());
  const auto stored = stores().accounts.findSession(common::sha256Hex(result.sessionCookie));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->userId, aliceId_);
  const auto audit = stores().audit.listAudit(10);
  ASSERT_EQ(audit.size(), 2U);  // the set-up's user_added first
  EXPECT_EQ(audit[0].action, "console.login");
  EXPECT_EQ(audit[0].actor, "alice");
  EXPECT_EQ(audit[0].time, kNow);

  const auto session = auth_.authenticate(result.sessionCookie, kNow + 1min);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->user.username, "alice");
  EXPECT_EQ(session->csrfToken, result.csrfToken);
  EXPECT_EQ(stores().accounts.findSession(session->idHash)->lastUsedAt, kNow + 1min);
}

TEST_F(ConsoleAuthTest, WrongPasswordsLockTheAccountUntilTheLockRunsOut) {
  failTimes(4, kNow);
  EXPECT_EQ(alice().failedLogins, 4);

  const auto fifth = auth_.login("alice", "wrong", kAddress, kNow);
  EXPECT_EQ(fifth.outcome, LoginOutcome::LockedOut);
  EXPECT_EQ(fifth.lockedUntil, kNow + 15min);

  const auto rightWhileLocked = auth_.login("alice", kPassword, kAddress, kNow + 14min);
  EXPECT_EQ(rightWhileLocked.outcome, LoginOutcome::LockedOut);
  EXPECT_TRUE(rightWhileLocked.sessionCookie.empty());
  EXPECT_EQ(rightWhileLocked.lockedUntil, kNow + 15min);
  EXPECT_EQ(alice().failedLogins, 5);
  EXPECT_EQ(stores().audit.listAudit(10).size(), 1U) << "refusals are not audited";

  EXPECT_EQ(auth_.login("alice", kPassword, kAddress, kNow + 15min).outcome, LoginOutcome::Success);
  EXPECT_EQ(alice().failedLogins, 0);
  EXPECT_FALSE(alice().lockedUntil.has_value());
}

TEST_F(ConsoleAuthTest, AfterALockRunsOutTheFullNumberOfTriesIsBack) {
  failTimes(4, kNow);
  EXPECT_EQ(auth_.login("alice", "wrong", kAddress, kNow).outcome, LoginOutcome::LockedOut);
  const auto later = kNow + 16min;
  failTimes(4, later);
  EXPECT_EQ(auth_.login("alice", "wrong", kAddress, later).outcome, LoginOutcome::LockedOut);
}

TEST_F(ConsoleAuthTest, SuccessResetsTheFailureCount) {
  failTimes(4, kNow);
  EXPECT_EQ(auth_.login("alice", kPassword, kAddress, kNow).outcome, LoginOutcome::Success);
  failTimes(4, kNow);
  EXPECT_EQ(alice().failedLogins, 4);
}

TEST_F(ConsoleAuthTest, UnknownUserGetsTheSameAnswerAsAWrongPassword) {
  const auto wrong = auth_.login("alice", "wrong", kAddress, kNow);
  for (int i = 0; i < 2; ++i) {
    const auto unknown = auth_.login("mallory", kPassword, kAddress, kNow);
    EXPECT_EQ(unknown.outcome, wrong.outcome);
    EXPECT_TRUE(unknown.sessionCookie.empty());
    EXPECT_TRUE(unknown.csrfToken.empty());
    EXPECT_FALSE(unknown.lockedUntil.has_value());
  }
}

TEST_F(ConsoleAuthTest, IdleSessionEnds) {
  const auto result = auth_.login("alice", kPassword, kAddress, kNow);
  // Each use restarts the idle clock.
  EXPECT_TRUE(auth_.authenticate(result.sessionCookie, kNow + 29min).has_value());
  EXPECT_TRUE(auth_.authenticate(result.sessionCookie, kNow + 58min).has_value());
  EXPECT_FALSE(auth_.authenticate(result.sessionCookie, kNow + 88min + 1ms).has_value());
  EXPECT_FALSE(stores().accounts.findSession(common::sha256Hex(result.sessionCookie)).has_value());
}

TEST_F(ConsoleAuthTest, SessionEndsAtItsMaximumAgeHoweverBusy) {
  const auto result = auth_.login("alice", kPassword, kAddress, kNow);
  Timestamp now = kNow;
  for (; now <= kNow + 12h; now += 20min) {
    ASSERT_TRUE(auth_.authenticate(result.sessionCookie, now).has_value());
  }
  EXPECT_FALSE(auth_.authenticate(result.sessionCookie, now).has_value());
  EXPECT_FALSE(stores().accounts.findSession(common::sha256Hex(result.sessionCookie)).has_value());
}

TEST_F(ConsoleAuthTest, SigningInSweepsAwayIdleSessions) {
  const auto stale = signIn(kNow);
  (void)signIn(kNow + 31min);
  EXPECT_FALSE(stores().accounts.findSession(stale.idHash).has_value());
}

TEST_F(ConsoleAuthTest, UnknownOrEmptyCookieIsRefused) {
  (void)signIn();
  EXPECT_FALSE(auth_.authenticate("", kNow).has_value());
  EXPECT_FALSE(auth_.authenticate(common::randomToken(32), kNow).has_value());
}

TEST_F(ConsoleAuthTest, LogoutEndsOnlyThatSession) {
  const auto first = auth_.login("alice", kPassword, kAddress, kNow);
  const auto second = auth_.login("alice", kPassword, kAddress, kNow);
  auth_.logout(*auth_.authenticate(first.sessionCookie, kNow));
  EXPECT_FALSE(auth_.authenticate(first.sessionCookie, kNow).has_value());
  EXPECT_TRUE(auth_.authenticate(second.sessionCookie, kNow).has_value());
}

TEST_F(ConsoleAuthTest, CsrfTokenMustMatchExactly) {
  const auto session = signIn();
  const auto other = signIn();
  EXPECT_TRUE(ConsoleAuth::csrfTokenMatches(session, session.csrfToken));
  EXPECT_FALSE(ConsoleAuth::csrfTokenMatches(session, other.csrfToken));
  EXPECT_FALSE(ConsoleAuth::csrfTokenMatches(session, ""));
  EXPECT_FALSE(ConsoleAuth::csrfTokenMatches(session, session.csrfToken.substr(1)));
  EXPECT_FALSE(ConsoleAuth::csrfTokenMatches(session, session.csrfToken + "x"));
  AuthenticatedSession withoutToken = session;
  withoutToken.csrfToken.clear();
  EXPECT_FALSE(ConsoleAuth::csrfTokenMatches(withoutToken, ""));
}

TEST_F(ConsoleAuthTest, PasswordChangeIsRefusedForEachReason) {
  const auto session = signIn();
  const auto outcome = [&](const std::string& current, const std::string& replacement) {
    return auth_.changePassword(session, current, replacement, kNow).outcome;
  };
  EXPECT_EQ(outcome("wrong", "a brand new password"), PasswordChangeOutcome::WrongCurrentPassword);
  EXPECT_EQ(outcome(kPassword, "short"), PasswordChangeOutcome::TooShort);
  // Eleven characters, though twenty-two bytes.
  EXPECT_EQ(outcome(kPassword, "ééééééééééé"), PasswordChangeOutcome::TooShort);
  EXPECT_EQ(outcome(kPassword, kPassword), PasswordChangeOutcome::SameAsCurrent);
  EXPECT_TRUE(common::verifyPassword(kPassword, alice().passwordHash));
  const auto audit = stores().audit.listAudit(10);
  ASSERT_EQ(audit.size(), 2U);
  EXPECT_EQ(audit[0].action, "console.login") << "only the sign-in is recorded";
  EXPECT_TRUE(stores().accounts.findSession(session.idHash).has_value());
}

TEST_F(ConsoleAuthTest, PasswordChangeEndsEverySessionAndStartsOneWithANewId) {
  setPassword(testing::cheapPasswordHash(kPassword), true);
  const auto current = signIn();
  const auto elsewhere = signIn();
  const std::string replacement = "twelve chars and more";

  const auto changed = auth_.changePassword(current, kPassword, replacement, kNow + 1min);
  ASSERT_EQ(changed.outcome, PasswordChangeOutcome::Changed);
  EXPECT_FALSE(alice().mustChangePassword);
  EXPECT_TRUE(common::verifyPassword(replacement, alice().passwordHash));
  // The session the change was made in ends too: a copy of its cookie is worth nothing now.
  EXPECT_FALSE(stores().accounts.findSession(current.idHash).has_value());
  EXPECT_FALSE(stores().accounts.findSession(elsewhere.idHash).has_value());
  const auto fresh = auth_.authenticate(changed.sessionCookie, kNow + 2min);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_NE(fresh->idHash, current.idHash);
  EXPECT_EQ(fresh->csrfToken, changed.csrfToken);
  EXPECT_NE(changed.csrfToken, current.csrfToken);
  EXPECT_EQ(fresh->user.id, aliceId_);
  EXPECT_EQ(auth_.login("alice", kPassword, kAddress, kNow).outcome,
            LoginOutcome::WrongCredentials);
  // Written with the new password, in its transaction.
  const auto audit = stores().audit.listAudit(1).at(0);
  EXPECT_EQ(audit.action, "console.password_changed");
  EXPECT_EQ(audit.actor, "alice");
  EXPECT_EQ(audit.target, "alice");
}

TEST_F(ConsoleAuthTest, ADisabledUserCannotSignInAndTheirSessionsEnd) {
  const auto before = auth_.login("alice", kPassword, kAddress, kNow);
  ASSERT_EQ(before.outcome, LoginOutcome::Success);
  ASSERT_TRUE(stores().accounts.createUser({.username = "bob",
                                            .roles = {"manager"},
                                            .passwordHash = "h",
                                            .mustChangePassword = false},
                                           audit("console.user_added")) > 0);
  ASSERT_TRUE(stores().accounts.setDisabled(aliceId_, kNow, audit("console.user_changed")));
  EXPECT_FALSE(stores().accounts.findSession(common::sha256Hex(before.sessionCookie)).has_value());
  EXPECT_FALSE(auth_.authenticate(before.sessionCookie, kNow).has_value());
  EXPECT_EQ(auth_.login("alice", kPassword, kAddress, kNow).outcome, LoginOutcome::Disabled);
  EXPECT_EQ(auth_.login("alice", "wrong", kAddress, kNow).outcome, LoginOutcome::WrongCredentials);

  ASSERT_TRUE(stores().accounts.setDisabled(aliceId_, std::nullopt, audit("console.user_changed")));
  EXPECT_EQ(auth_.login("alice", kPassword, kAddress, kNow).outcome, LoginOutcome::Success);
}

// The attack of issue 12: wrong passwords sent at once used to be checked from a count read
// before the check, so more were checked than the lockout allows and a failure that did not
// lock cleared the lock another had set.
TEST_F(ConsoleAuthTest, TwentyWrongPasswordsAtOnceLockAfterExactlyTheAllowedNumber) {
  constexpr int kAttempts = 20;
  ConsoleAuthSettings settings;  // the default lockout: five failures, fifteen minutes
  settings.signInThrottle.burst = kAttempts;
  ConsoleAuth auth(stores().accounts, settings);
  std::vector<LoginResult> results(kAttempts);
  {
    std::latch start(kAttempts);
    std::vector<std::jthread> threads;
    for (int i = 0; i < kAttempts; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = auth.login("alice", "wrong " + std::to_string(i), kAddress, kNow);
      });
    }
  }
  const auto count = [&](LoginOutcome outcome) {
    return std::ranges::count_if(results, [&](const auto& r) { return r.outcome == outcome; });
  };
  EXPECT_EQ(count(LoginOutcome::WrongCredentials), 4);
  EXPECT_EQ(count(LoginOutcome::LockedOut), kAttempts - 4);
  EXPECT_EQ(alice().failedLogins, 5);
  EXPECT_EQ(alice().lockedUntil, kNow + 15min);
  EXPECT_EQ(auth.login("alice", kPassword, kAddress, kNow + 1min).outcome, LoginOutcome::LockedOut);
}

TEST_F(ConsoleAuthTest, AComputerOverItsAllowanceIsRefusedWithoutACheck) {
  ConsoleAuthSettings settings;
  settings.signInThrottle = {.attemptsPerMinute = 6, .burst = 2, .trackedAddresses = 100};
  ConsoleAuth auth(stores().accounts, settings);
  EXPECT_EQ(auth.login("alice", "wrong", kAddress, kNow).outcome, LoginOutcome::WrongCredentials);
  EXPECT_EQ(auth.login("nobody", "wrong", kAddress, kNow).outcome, LoginOutcome::WrongCredentials);

  const auto refused = auth.login("alice", kPassword, kAddress, kNow);
  EXPECT_EQ(refused.outcome, LoginOutcome::TooManyAttempts);
  EXPECT_EQ(refused.retryAfter, 10s);
  EXPECT_TRUE(refused.sessionCookie.empty());
  EXPECT_EQ(alice().failedLogins, 1);  // the refused attempt was neither checked nor counted

  EXPECT_EQ(auth.login("alice", kPassword, "192.0.2.11", kNow).outcome, LoginOutcome::Success);
  EXPECT_EQ(auth.login("alice", kPassword, kAddress, kNow + 10s).outcome, LoginOutcome::Success);
}

TEST_F(ConsoleAuthTest, SignInsFindingEveryPasswordCheckTakenAreToldToTryAgain) {
  setPassword(common::hashPassword(kPassword), false);  // the real cost
  ConsoleAuthSettings settings;
  settings.lockoutFailures = 0;
  settings.maxConcurrentPasswordChecks = 1;
  settings.passwordCheckWait = 0ms;
  ConsoleAuth auth(stores().accounts, settings);

  constexpr int kAttempts = 6;
  std::vector<LoginResult> results(kAttempts);
  {
    std::latch start(kAttempts);
    std::vector<std::jthread> threads;
    for (int i = 0; i < kAttempts; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        // Known and unknown names alike wait for a check.
        results[i] = auth.login(i % 2 == 0 ? "alice" : "mallory", "wrong", kAddress, kNow);
      });
    }
  }
  int busy = 0;
  int aliceRefused = 0;
  for (int i = 0; i < kAttempts; ++i) {
    if (results[i].outcome == LoginOutcome::Busy) {
      ++busy;
      EXPECT_EQ(results[i].retryAfter, 5s);
    } else {
      EXPECT_EQ(results[i].outcome, LoginOutcome::WrongCredentials);
      if (i % 2 == 0) ++aliceRefused;
    }
  }
  EXPECT_GE(busy, 1);
  EXPECT_LT(busy, kAttempts);
  EXPECT_EQ(alice().failedLogins, aliceRefused);  // a busy answer counts no failure
}

}  // namespace
}  // namespace clubsafe::collector
