#include "collector/auth/console_auth.hpp"

#include "common/crypto.hpp"
#include "common/password_hash.hpp"
#include "common/time.hpp"

namespace clubsafe::collector {
namespace {

constexpr std::size_t kSessionTokenBytes = 32;
// A busy server asks again after a few checks' time, not at once.
constexpr std::chrono::seconds kBusyRetryAfter{5};

// Made once per process: a real hash of a random password, so checking a password against it
// costs what checking a user's costs.
const std::string& dummyPasswordHash() {
  static const std::string hash = common::hashPassword(common::randomToken(kSessionTokenBytes));
  return hash;
}

// Characters as a person counts them: UTF-8 continuation bytes do not start one.
std::size_t countCharacters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++count;
  }
  return count;
}

LoginResult lockedOut(Timestamp until) {
  LoginResult result;
  result.outcome = LoginOutcome::LockedOut;
  result.lockedUntil = until;
  return result;
}

LoginResult retryLater(LoginOutcome outcome, std::chrono::seconds after) {
  LoginResult result;
  result.outcome = outcome;
  result.retryAfter = after;
  return result;
}

}  // namespace

ConsoleAuth::ConsoleAuth(AccountStore& accounts, ConsoleAuthSettings settings)
    : accounts_(accounts),
      settings_(settings),
      dummyHash_(dummyPasswordHash()),
      signInThrottle_(settings.signInThrottle),
      passwordChecks_(settings.maxConcurrentPasswordChecks),
      twoStep_(accounts, settings.requireTotpFor),
      pendingSignIns_(settings.secondStepTime) {}

bool ConsoleAuth::verifyWaiting(std::string_view password, const std::string& hash) {
  const auto slot = passwordChecks_.take();
  return common::verifyPassword(password, hash);
}

std::string ConsoleAuth::hashPassword(std::string_view password) {
  const auto slot = passwordChecks_.take();
  return common::hashPassword(password);
}

std::optional<std::string> ConsoleAuth::createFirstManagerIfNone(const std::string& username) {
  if (accounts_.countUsers() > 0) return std::nullopt;
  auto password = common::generateOneTimePassword();
  accounts_.createUser({.username = username,
                        .roles = {std::string(kManagerRoleName)},
                        .passwordHash = hashPassword(password),
                        .mustChangePassword = true},
                       {.time = common::nowUtc(),
                        .actor = "system",
                        .action = "console.user_added",
                        .target = username,
                        .detail = "roles: manager"});
  return password;
}

LoginResult ConsoleAuth::login(const std::string& username, const std::string& password,
                               std::string_view clientAddress, Timestamp now) {
  // First of all, so a computer over its allowance costs no lookup and no hash.
  if (const auto throttle = signInThrottle_.tryAttempt(clientAddress, now); !throttle.allowed) {
    return retryLater(LoginOutcome::TooManyAttempts, throttle.retryAfter);
  }
  // While locked, even the right password is refused, and nothing is hashed or counted: a
  // guesser gains nothing and the lock cannot be stretched.
  const auto user = accounts_.findUserByName(username);
  if (user && user->lockedUntil && *user->lockedUntil > now) return lockedOut(*user->lockedUntil);
  return checkPassword(username, password, now);
}

// The password check proper, once a check is free (or Busy when none came free in time).
LoginResult ConsoleAuth::checkPassword(const std::string& username, const std::string& password,
                                       Timestamp now) {
  std::optional<ConsoleUser> user;
  bool matches = false;
  {
    const auto slot = passwordChecks_.tryTake(settings_.passwordCheckWait);
    if (!slot) return retryLater(LoginOutcome::Busy, kBusyRetryAfter);
    // Read again now a check is free: attempts queued behind others may find the account
    // locked by then. Read for unknown names too, so both paths cost the same.
    user = accounts_.findUserByName(username);
    if (user && user->lockedUntil && *user->lockedUntil > now) {
      return lockedOut(*user->lockedUntil);
    }
    // Unknown names are checked against a real hash on the same path, so neither time nor
    // answer tells whether the account exists.
    matches = common::verifyPassword(password, user ? user->passwordHash : dummyHash_);
  }
  if (!user) return {};
  if (!matches) {
    const auto lock = accounts_.recordLoginFailure(
        user->id,
        {.failures = settings_.lockoutFailures, .lockUntil = now + settings_.lockoutDuration}, now);
    if (lock && *lock > now) return lockedOut(*lock);
    return {};
  }
  if (user->disabledAt) {
    LoginResult result;
    result.outcome = LoginOutcome::Disabled;
    return result;
  }
  if (user->totpEnabled) {
    LoginResult result;
    result.outcome = LoginOutcome::CodeNeeded;
    result.pendingSignIn = pendingSignIns_.start(user->id, now);
    return result;
  }
  return startSession(*user, now);
}

LoginResult ConsoleAuth::loginWithCode(const std::string& pendingSignIn, const std::string& code,
                                       std::string_view clientAddress, Timestamp now) {
  if (const auto throttle = signInThrottle_.tryAttempt(clientAddress, now); !throttle.allowed) {
    return retryLater(LoginOutcome::TooManyAttempts, throttle.retryAfter);
  }
  LoginResult expired;
  expired.outcome = LoginOutcome::SecondStepExpired;
  const auto userId = pendingSignIns_.find(pendingSignIn, now);
  const auto user = userId ? accounts_.findUserById(*userId) : std::nullopt;
  if (!user || !user->totpEnabled) return expired;
  if (user->lockedUntil && *user->lockedUntil > now) return lockedOut(*user->lockedUntil);
  const auto check = twoStep_.checkCode(*user, code, now);
  if (check == CodeCheck::Wrong) return refuseCode(*user, pendingSignIn, now);
  pendingSignIns_.finish(pendingSignIn);
  return startSession(*user, now,
                      check == CodeCheck::RecoveryCode ? "with a recovery code" : "with a code");
}

// A wrong second-step code counts as a wrong password does; a lock ends the pending sign-in.
LoginResult ConsoleAuth::refuseCode(const ConsoleUser& user, const std::string& pendingSignIn,
                                    Timestamp now) {
  const auto lock = accounts_.recordLoginFailure(
      user.id,
      {.failures = settings_.lockoutFailures, .lockUntil = now + settings_.lockoutDuration}, now);
  if (lock && *lock > now) {
    pendingSignIns_.finish(pendingSignIn);
    return lockedOut(*lock);
  }
  LoginResult result;
  result.outcome = LoginOutcome::WrongCode;
  return result;
}

LoginResult ConsoleAuth::startSession(const ConsoleUser& user, Timestamp now, std::string detail) {
  // Sessions that timed out are otherwise only removed when presented; sweep them here.
  accounts_.deleteSessionsIdleSince(now - settings_.sessionIdleTimeout);
  LoginResult result;
  result.outcome = LoginOutcome::Success;
  result.sessionCookie = common::randomToken(kSessionTokenBytes);
  result.csrfToken = common::randomToken(kSessionTokenBytes);
  result.user = user;
  // The session and its audit entry are stored together, so no sign-in goes unrecorded; the
  // store refuses it should the account have been locked or disabled during the check.
  const bool started =
      accounts_.recordLoginSuccess({.idHash = common::sha256Hex(result.sessionCookie),
                                    .userId = user.id,
                                    .csrfToken = result.csrfToken,
                                    .createdAt = now,
                                    .lastUsedAt = now},
                                   {.time = now,
                                    .actor = user.username,
                                    .action = "console.login",
                                    .target = {},
                                    .detail = std::move(detail)},
                                   now);
  if (started) return result;
  const auto current = accounts_.findUserById(user.id);
  if (current && current->lockedUntil && *current->lockedUntil > now) {
    return lockedOut(*current->lockedUntil);
  }
  LoginResult refused;
  refused.outcome = current ? LoginOutcome::Disabled : LoginOutcome::WrongCredentials;
  return refused;
}

std::optional<AuthenticatedSession> ConsoleAuth::authenticate(const std::string& sessionCookie,
                                                              Timestamp now) {
  if (sessionCookie.empty()) return std::nullopt;
  // Looked up by its hash: the lookup's timing can only reveal facts about a hash of a
  // 256-bit random value, which helps nobody forge a cookie.
  const auto idHash = common::sha256Hex(sessionCookie);
  const auto session = accounts_.findSession(idHash);
  if (!session) return std::nullopt;
  const bool live = now - session->lastUsedAt <= settings_.sessionIdleTimeout &&
                    now - session->createdAt <= settings_.sessionMaxAge;
  const auto user = live ? accounts_.findUserById(session->userId) : std::nullopt;
  if (!user || user->disabledAt) {
    accounts_.deleteSession(idHash);
    return std::nullopt;
  }
  accounts_.touchSession(idHash, now);
  return AuthenticatedSession{.idHash = idHash, .user = *user, .csrfToken = session->csrfToken};
}

bool ConsoleAuth::csrfTokenMatches(const AuthenticatedSession& session,
                                   const std::string& presented) {
  return !session.csrfToken.empty() && common::constantTimeEquals(session.csrfToken, presented);
}

void ConsoleAuth::logout(const AuthenticatedSession& session) {
  accounts_.deleteSession(session.idHash);
}

PasswordChangeResult ConsoleAuth::changePassword(const AuthenticatedSession& session,
                                                 const std::string& currentPassword,
                                                 const std::string& newPassword, Timestamp now) {
  PasswordChangeResult result;
  // The stored hash, not the session's copy, which may predate a change from another session.
  const auto user = accounts_.findUserById(session.user.id);
  if (!user || !verifyWaiting(currentPassword, user->passwordHash)) {
    result.outcome = PasswordChangeOutcome::WrongCurrentPassword;
    return result;
  }
  if (countCharacters(newPassword) < settings_.minimumPasswordLength) {
    result.outcome = PasswordChangeOutcome::TooShort;
    return result;
  }
  if (newPassword == currentPassword) {
    result.outcome = PasswordChangeOutcome::SameAsCurrent;
    return result;
  }

  result.outcome = PasswordChangeOutcome::Changed;
  result.sessionCookie = common::randomToken(kSessionTokenBytes);
  result.csrfToken = common::randomToken(kSessionTokenBytes);
  accounts_.setPassword(user->id, hashPassword(newPassword), false,
                        SessionRecord{.idHash = common::sha256Hex(result.sessionCookie),
                                      .userId = user->id,
                                      .csrfToken = result.csrfToken,
                                      .createdAt = now,
                                      .lastUsedAt = now},
                        {.time = now,
                         .actor = user->username,
                         .action = "console.password_changed",
                         .target = user->username,
                         .detail = {}});
  return result;
}

}  // namespace clubsafe::collector
