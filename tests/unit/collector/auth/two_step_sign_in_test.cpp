// Two-step sign-in over a real SQLite file: setting it up, signing in with the app's codes and
// recovery codes, replays, lockout and a manager's reset.
#include "collector/auth/console_auth.hpp"
#include "collector/auth/totp.hpp"
#include "tests/unit/collector/test_storage.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

const Timestamp kNow = at("2026-11-24T20:00:10.000Z");
const std::string kPassword = "a long enough password";
const std::string kAddress = "192.0.2.10";

// Required of DSLs, with room for every attempt a test makes from its one address.
ConsoleAuthSettings requiredOfDsls() {
  ConsoleAuthSettings settings;
  settings.requireTotpFor = {"dsl"};
  settings.signInThrottle.burst = 1000;
  return settings;
}

AuditEntry audit(const std::string& action) {
  return {.time = kNow, .actor = "system", .action = action, .target = {}, .detail = {}};
}

class TwoStepSignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    deeId_ = accounts().createUser({.username = "dee",
                                    .roles = {"dsl"},
                                    .passwordHash = testing::cheapPasswordHash(kPassword),
                                    .mustChangePassword = false},
                                   audit("console.user_added"));
  }

  AccountStore& accounts() { return test_.stores.accounts; }
  ConsoleUser dee() { return *accounts().findUserById(deeId_); }

  // The app's code at `time` for dee's key, as a phone would compute it.
  std::string appCode(Timestamp time) {
    const auto key = accounts().findTotpKey(deeId_);
    if (!key) throw std::logic_error("dee has no key");
    return totp::codeAt(*totp::base32Decode(key->secret), time);
  }

  // Sets up dee's app at kNow; returns the recovery codes.
  std::vector<std::string> setUp() {
    const auto enrolment = auth_.twoStep().startEnrolment(dee(), kNow);
    if (!enrolment) throw std::logic_error("enrolment refused");
    auto codes = auth_.twoStep().confirmEnrolment(dee(), appCode(kNow), kNow);
    if (!codes) throw std::logic_error("confirmation refused");
    return *codes;
  }

  // The password step, which must ask for a code; returns the pending sign-in.
  std::string passwordStep(Timestamp now) {
    const auto result = auth_.login("dee", kPassword, kAddress, now);
    if (result.outcome != LoginOutcome::CodeNeeded) throw std::logic_error("no code asked for");
    return result.pendingSignIn;
  }

  std::size_t auditCount(const std::string& action) {
    std::size_t count = 0;
    for (const auto& entry : test_.stores.audit.listAudit(1000)) {
      if (entry.action == action) ++count;
    }
    return count;
  }

  testing::TestStorage test_;
  ConsoleAuth auth_{test_.stores.accounts, requiredOfDsls()};
  std::int64_t deeId_ = 0;
};

TEST_F(TwoStepSignInTest, WithoutItThePasswordAloneSignsIn) {
  EXPECT_TRUE(auth_.twoStep().mustSetUp(dee()));
  EXPECT_EQ(auth_.login("dee", kPassword, kAddress, kNow).outcome, LoginOutcome::Success);
}

TEST_F(TwoStepSignInTest, SetUpNeedsTheAppsCodeBeforeItIsOn) {
  const auto enrolment = auth_.twoStep().startEnrolment(dee(), kNow);
  ASSERT_TRUE(enrolment.has_value());
  EXPECT_EQ(enrolment->key.size(), 32U + 7U);  // 32 base32 letters in groups of four
  EXPECT_TRUE(enrolment->uri.starts_with("otpauth://totp/ClubSafe:dee?secret="));
  EXPECT_FALSE(dee().totpEnabled);
  EXPECT_FALSE(auth_.twoStep().confirmEnrolment(dee(), "000000", kNow).has_value());
  EXPECT_FALSE(auth_.twoStep().confirmEnrolment(dee(), appCode(kNow - 90s), kNow).has_value());
  EXPECT_FALSE(dee().totpEnabled);
  // Until it is confirmed the password alone still signs in.
  EXPECT_EQ(auth_.login("dee", kPassword, kAddress, kNow).outcome, LoginOutcome::Success);

  const auto codes = auth_.twoStep().confirmEnrolment(dee(), appCode(kNow), kNow);
  ASSERT_TRUE(codes.has_value());
  EXPECT_EQ(codes->size(), 10U);
  EXPECT_TRUE(dee().totpEnabled);
  EXPECT_FALSE(auth_.twoStep().mustSetUp(dee()));
  EXPECT_EQ(auth_.twoStep().recoveryCodesLeft(dee()), 10U);
  EXPECT_EQ(auditCount("console.two_step_on"), 1U);
  // Once on, no new key is handed out: the key is never shown again.
  EXPECT_FALSE(auth_.twoStep().startEnrolment(dee(), kNow).has_value());
}

TEST_F(TwoStepSignInTest, SignInTakesThePasswordThenTheAppsCode) {
  setUp();
  const auto later = kNow + 60s;
  const auto pending = passwordStep(later);
  const auto result = auth_.loginWithCode(pending, appCode(later), kAddress, later);
  ASSERT_EQ(result.outcome, LoginOutcome::Success);
  EXPECT_TRUE(auth_.authenticate(result.sessionCookie, later).has_value());
  // The pending sign-in is spent.
  EXPECT_EQ(auth_.loginWithCode(pending, appCode(later), kAddress, later).outcome,
            LoginOutcome::SecondStepExpired);
}

TEST_F(TwoStepSignInTest, ACodeAcceptedOnceIsRefusedAgainInItsWindow) {
  setUp();
  const auto later = kNow + 60s;
  const auto code = appCode(later);
  ASSERT_EQ(auth_.loginWithCode(passwordStep(later), code, kAddress, later).outcome,
            LoginOutcome::Success);
  // The same code, 20 seconds on, still inside its window: refused as a replay.
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later + 20s), code, kAddress, later + 20s).outcome,
            LoginOutcome::WrongCode);
  // So is the previous step's code, once a later one has been used.
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later), appCode(later - 30s), kAddress, later).outcome,
            LoginOutcome::WrongCode);
  // The next step's code is fine.
  EXPECT_EQ(
      auth_.loginWithCode(passwordStep(later + 30s), appCode(later + 30s), kAddress, later + 30s)
          .outcome,
      LoginOutcome::Success);
}

TEST_F(TwoStepSignInTest, TheSetUpCodeCannotBeUsedAgainToSignIn) {
  setUp();
  EXPECT_EQ(auth_.loginWithCode(passwordStep(kNow), appCode(kNow), kAddress, kNow).outcome,
            LoginOutcome::WrongCode);
}

TEST_F(TwoStepSignInTest, EachRecoveryCodeWorksOnce) {
  const auto codes = setUp();
  const auto later = kNow + 5min;
  // As typed: upper case, spaces in place of dashes.
  std::string typed = codes.at(3);
  for (auto& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::toupper(c));
  const auto first = auth_.loginWithCode(passwordStep(later), typed, kAddress, later);
  EXPECT_EQ(first.outcome, LoginOutcome::Success);
  EXPECT_EQ(auth_.twoStep().recoveryCodesLeft(dee()), 9U);
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later), codes.at(3), kAddress, later).outcome,
            LoginOutcome::WrongCode);
  EXPECT_EQ(auditCount("console.recovery_code_used"), 1U);
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later), codes.at(4), kAddress, later).outcome,
            LoginOutcome::Success);
  EXPECT_EQ(auth_.twoStep().recoveryCodesLeft(dee()), 8U);
}

TEST_F(TwoStepSignInTest, NewRecoveryCodesNeedACurrentCodeAndReplaceTheOld) {
  const auto old = setUp();
  const auto later = kNow + 2min;
  EXPECT_FALSE(auth_.twoStep().replaceRecoveryCodes(dee(), "123456", later).has_value());
  const auto fresh = auth_.twoStep().replaceRecoveryCodes(dee(), appCode(later), later);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->size(), 10U);
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later), old.at(0), kAddress, later).outcome,
            LoginOutcome::WrongCode);
  EXPECT_EQ(auth_.loginWithCode(passwordStep(later), fresh->at(0), kAddress, later).outcome,
            LoginOutcome::Success);
}

TEST_F(TwoStepSignInTest, WrongCodesLockTheAccountLikeWrongPasswords) {
  setUp();
  const auto later = kNow + 2min;
  const auto pending = passwordStep(later);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(auth_.loginWithCode(pending, "000000", kAddress, later).outcome,
              LoginOutcome::WrongCode);
  }
  const auto locked = auth_.loginWithCode(pending, "not a code", kAddress, later);
  EXPECT_EQ(locked.outcome, LoginOutcome::LockedOut);
  // The right code during the lock is refused too: the pending sign-in ended with the lock.
  EXPECT_EQ(auth_.loginWithCode(pending, appCode(later), kAddress, later).outcome,
            LoginOutcome::SecondStepExpired);
  EXPECT_EQ(auth_.login("dee", kPassword, kAddress, later).outcome, LoginOutcome::LockedOut);
}

TEST_F(TwoStepSignInTest, APendingSignInLastsFiveMinutes) {
  setUp();
  const auto pending = passwordStep(kNow + 1min);
  const auto late = kNow + 6min + 1s;
  EXPECT_EQ(auth_.loginWithCode(pending, appCode(late), kAddress, late).outcome,
            LoginOutcome::SecondStepExpired);
  EXPECT_EQ(auth_.loginWithCode("made up", appCode(late), kAddress, late).outcome,
            LoginOutcome::SecondStepExpired);
}

TEST_F(TwoStepSignInTest, AManagersResetTurnsItOffEndsSessionsAndIsAudited) {
  setUp();
  const auto later = kNow + 1min;
  const auto session = auth_.loginWithCode(passwordStep(later), appCode(later), kAddress, later);
  ASSERT_EQ(session.outcome, LoginOutcome::Success);
  EXPECT_TRUE(auth_.twoStep().reset(deeId_, "dee", "mandy", later));
  EXPECT_FALSE(dee().totpEnabled);
  EXPECT_FALSE(accounts().findTotpKey(deeId_).has_value());
  EXPECT_EQ(accounts().countRecoveryCodes(deeId_), 0U);
  EXPECT_FALSE(auth_.authenticate(session.sessionCookie, later).has_value());
  EXPECT_EQ(auditCount("console.two_step_reset"), 1U);
  // Required of a DSL: the password signs in, to a session that must set it up again.
  EXPECT_EQ(auth_.login("dee", kPassword, kAddress, later).outcome, LoginOutcome::Success);
  EXPECT_TRUE(auth_.twoStep().mustSetUp(dee()));
  EXPECT_FALSE(auth_.twoStep().reset(999999, "nobody", "mandy", later));
}

TEST_F(TwoStepSignInTest, RequiredOnlyOfTheListedRoles) {
  const auto worker = accounts().createUser({.username = "will",
                                             .roles = {"worker"},
                                             .passwordHash = testing::cheapPasswordHash(kPassword),
                                             .mustChangePassword = false},
                                            audit("console.user_added"));
  EXPECT_FALSE(auth_.twoStep().required(*accounts().findUserById(worker)));
  EXPECT_TRUE(auth_.twoStep().required(dee()));
}

}  // namespace
}  // namespace clubsafe::collector
