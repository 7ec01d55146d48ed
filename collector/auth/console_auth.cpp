#include "collector/auth/console_auth.hpp"

#include "common/crypto.hpp"
#include "common/password_hash.hpp"
#include "common/time.hpp"

namespace clubsafe::collector {
namespace {

constexpr std::size_t kSessionTokenBytes = 32;
constexpr std::string_view kManagerRole = "manager";
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
      passwordChecks_(settings.maxConcurrentPasswordChecks) {}

std::optional<bool> ConsoleAuth::verifyWithinWait(std::string_view password,
                                                  const std::string& hash) {
  const auto slot = passwordChecks_.tryTake(settings_.passwordCheckWait);
  if (!slot) return std::nullopt;
  return common::verifyPassword(password, hash);
}

bool ConsoleAuth::verifyWaiting(std::string_view password, const std::string& hash) {
  const auto slot = passwordChecks_.take();
  return common::verifyPassword(password, hash);
}

std::string ConsoleAuth::hashWaiting(std::string_view password) {
  const auto slot = passwordChecks_.take();
  return common::hashPassword(password);
}

std::optional<std::string> ConsoleAuth::createFirstManagerIfNone(const std::string& username) {
  if (accounts_.countUsers() > 0) return std::nullopt;
  auto password = common::generateOneTimePassword();
  accounts_.createUser(username, std::string(kManagerRole), hashWaiting(password), true);
  return password;
}

LoginResult ConsoleAuth::login(const std::string& username, const std::string& password,
                               std::string_view clientAddress, Timestamp now) {
  // First of all, so a computer over its allowance costs no lookup and no hash.
  if (const auto throttle = signInThrottle_.tryAttempt(clientAddress, now); !throttle.allowed) {
    return retryLater(LoginOutcome::TooManyAttempts, throttle.retryAfter);
  }
  const auto user = accounts_.findUserByName(username);
  // While locked, even the right password is refused, and nothing is hashed or counted: a
  // guesser gains nothing and the lock cannot be stretched.
  if (user && user->lockedUntil && *user->lockedUntil > now) {
    return lockedOut(*user->lockedUntil);
  }
  // Unknown names are checked against a real hash on the same path, waiting for the same
  // slots, so neither time nor answer tells whether the account exists.
  const auto matches = verifyWithinWait(password, user ? user->passwordHash : dummyHash_);
  if (!matches) return retryLater(LoginOutcome::Busy, kBusyRetryAfter);
  if (!user) return {};
  if (!*matches) {
    // Every lockoutFailures-th consecutive failure locks, so after a lock runs out the user
    // has the full number of tries again, while failedLogins still counts since the last success.
    const auto failures = user->failedLogins + 1;
    std::optional<Timestamp> lockedUntil;
    if (settings_.lockoutFailures > 0 && failures % settings_.lockoutFailures == 0) {
      lockedUntil = now + settings_.lockoutDuration;
    }
    accounts_.recordLoginFailure(user->id, lockedUntil);
    if (lockedUntil) return lockedOut(*lockedUntil);
    return {};
  }

  // Sessions that timed out are otherwise only removed when presented; sweep them here.
  accounts_.deleteSessionsIdleSince(now - settings_.sessionIdleTimeout);
  LoginResult result;
  result.outcome = LoginOutcome::Success;
  result.sessionCookie = common::randomToken(kSessionTokenBytes);
  result.csrfToken = common::randomToken(kSessionTokenBytes);
  result.user = *user;
  // The session and its audit entry are stored together, so no sign-in goes unrecorded.
  accounts_.recordLoginSuccess({.idHash = common::sha256Hex(result.sessionCookie),
                                .userId = user->id,
                                .csrfToken = result.csrfToken,
                                .createdAt = now,
                                .lastUsedAt = now},
                               {.time = now,
                                .actor = user->username,
                                .action = "console.login",
                                .target = {},
                                .detail = {}});
  return result;
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
  if (!user) {
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

PasswordChangeOutcome ConsoleAuth::changePassword(const AuthenticatedSession& session,
                                                  const std::string& currentPassword,
                                                  const std::string& newPassword) {
  // The stored hash, not the session's copy, which may predate a change from another session.
  const auto user = accounts_.findUserById(session.user.id);
  if (!user || !verifyWaiting(currentPassword, user->passwordHash)) {
    return PasswordChangeOutcome::WrongCurrentPassword;
  }
  if (countCharacters(newPassword) < settings_.minimumPasswordLength) {
    return PasswordChangeOutcome::TooShort;
  }
  if (newPassword == currentPassword) return PasswordChangeOutcome::SameAsCurrent;

  accounts_.setPassword(user->id, hashWaiting(newPassword), false,
                        {.time = common::nowUtc(),
                         .actor = user->username,
                         .action = "console.password_changed",
                         .target = user->username,
                         .detail = {}});
  // The store can only end all of a user's sessions, so the current one is put back afterwards.
  const auto current = accounts_.findSession(session.idHash);
  accounts_.deleteSessionsOfUser(user->id);
  if (current) accounts_.createSession(*current);
  return PasswordChangeOutcome::Changed;
}

}  // namespace clubsafe::collector
