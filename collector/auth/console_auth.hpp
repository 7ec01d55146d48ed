#pragma once

#include "collector/auth/password_check_slots.hpp"
#include "collector/auth/pending_sign_ins.hpp"
#include "collector/auth/sign_in_throttle.hpp"
#include "collector/auth/two_step_sign_in.hpp"
#include "collector/storage/account_store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace clubsafe::collector {

struct ConsoleAuthSettings {
  int lockoutFailures = 5;  // consecutive failures before a lockout
  std::chrono::seconds lockoutDuration{15 * 60};
  std::chrono::seconds sessionIdleTimeout{30 * 60};  // a session unused this long ends
  std::chrono::seconds sessionMaxAge{12 * 60 * 60};  // and none lives longer than this
  std::size_t minimumPasswordLength = 12;
  // Password hashes (scrypt, 32 MiB each) running at once, and how long a sign-in waits for
  // one before it is told to try again.
  std::size_t maxConcurrentPasswordChecks = 2;
  std::chrono::milliseconds passwordCheckWait{5000};
  SignInThrottleSettings signInThrottle;
  // Roles whose holders must use two-step sign-in (auth.require_totp_for), and how long the
  // second step waits for its code after the password.
  std::vector<std::string> requireTotpFor;
  std::chrono::seconds secondStepTime{5 * 60};
};

// TooManyAttempts: the client's address used up its sign-in attempts for now. Busy: every
// password check stayed taken for passwordCheckWait. Neither hashes or counts anything.
// Disabled: the right password of a disabled user (a wrong one is WrongCredentials).
// CodeNeeded: the right password of a user with two-step sign-in; the code comes next
// (loginWithCode). WrongCode: not the app's code, a code used before, nor a recovery code.
// SecondStepExpired: the pending sign-in is unknown or took too long.
enum class LoginOutcome {
  Success,
  WrongCredentials,
  LockedOut,
  TooManyAttempts,
  Busy,
  Disabled,
  CodeNeeded,
  WrongCode,
  SecondStepExpired
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::WrongCredentials;
  std::string sessionCookie;  // the secret cookie value, only on success
  std::string csrfToken;
  ConsoleUser user;                      // who signed in, only on success
  std::optional<Timestamp> lockedUntil;  // when LockedOut
  std::chrono::seconds retryAfter{0};    // when TooManyAttempts or Busy
  std::string pendingSignIn;             // when CodeNeeded: the token the code goes with
};

struct AuthenticatedSession {
  std::string idHash;
  ConsoleUser user;
  std::string csrfToken;
};

enum class PasswordChangeOutcome { Changed, WrongCurrentPassword, TooShort, SameAsCurrent };

struct PasswordChangeResult {
  PasswordChangeOutcome outcome = PasswordChangeOutcome::WrongCurrentPassword;
  // When Changed: the session that replaces the one the change was made in (a new id, so a
  // cookie someone copied before the change is worth nothing), and its CSRF token.
  std::string sessionCookie;
  std::string csrfToken;
};

// Console sign-in: attempts limited per client address, password checks limited in number at
// once, lockout, server-side sessions keyed by a hash of the cookie, a CSRF token per session.
// Clock is passed in so tests control it.
class ConsoleAuth {
 public:
  ConsoleAuth(AccountStore& accounts, ConsoleAuthSettings settings);

  // Creates the first manager account when there is none. Returns its one-time password, or
  // nullopt when accounts already exist.
  std::optional<std::string> createFirstManagerIfNone(const std::string& username);

  // Unknown user names take as long as known ones and give the same answer. A success starts
  // the session and writes its audit entry in one transaction; refusals are not audited. The
  // lock is read again once a password check is free, and a failure is counted and the lock
  // decided in one statement (AccountStore::recordLoginFailure), so attempts sent at once get
  // no more checks than attempts sent one by one.
  // `clientAddress` is the address the attempt came from, as text.
  LoginResult login(const std::string& username, const std::string& password,
                    std::string_view clientAddress, Timestamp now);

  // A sign-in's second step: `code` (the app's or a recovery code) for the sign-in
  // `pendingSignIn` names. Limited per client address like passwords; a wrong code counts
  // towards the account's lock as a wrong password does.
  LoginResult loginWithCode(const std::string& pendingSignIn, const std::string& code,
                            std::string_view clientAddress, Timestamp now);

  // The session behind a cookie value, if it is live at `now` (its last use is refreshed).
  std::optional<AuthenticatedSession> authenticate(const std::string& sessionCookie, Timestamp now);

  [[nodiscard]] static bool csrfTokenMatches(const AuthenticatedSession& session,
                                             const std::string& presented);

  void logout(const AuthenticatedSession& session);

  // On success every session of the user ends and a new one starts in their place. Waits for
  // a password check as long as it takes: only a signed-in user gets here.
  PasswordChangeResult changePassword(const AuthenticatedSession& session,
                                      const std::string& currentPassword,
                                      const std::string& newPassword, Timestamp now);

  // A hash of `password`, waiting for a password check as long as it takes: for a signed-in
  // manager setting someone's one-time password.
  std::string hashPassword(std::string_view password);

  [[nodiscard]] const ConsoleAuthSettings& settings() const { return settings_; }
  [[nodiscard]] TwoStepSignIn& twoStep() { return twoStep_; }

 private:
  bool verifyWaiting(std::string_view password, const std::string& hash);
  LoginResult checkPassword(const std::string& username, const std::string& password,
                            Timestamp now);
  LoginResult startSession(const ConsoleUser& user, Timestamp now, std::string detail = {});
  LoginResult refuseCode(const ConsoleUser& user, const std::string& pendingSignIn, Timestamp now);

  AccountStore& accounts_;
  ConsoleAuthSettings settings_;
  std::string dummyHash_;  // verified against for unknown user names, to even out timing
  SignInThrottle signInThrottle_;
  PasswordCheckSlots passwordChecks_;
  TwoStepSignIn twoStep_;
  PendingSignIns pendingSignIns_;
};

}  // namespace clubsafe::collector
