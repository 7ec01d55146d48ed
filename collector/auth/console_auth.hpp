#pragma once

#include "collector/storage/storage.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace clubsafe::collector {

struct ConsoleAuthSettings {
  int lockoutFailures = 5;                           // consecutive failures before a lockout
  std::chrono::seconds lockoutDuration{15 * 60};
  std::chrono::seconds sessionIdleTimeout{30 * 60};  // a session unused this long ends
  std::chrono::seconds sessionMaxAge{12 * 60 * 60};  // and none lives longer than this
  std::size_t minimumPasswordLength = 12;
};

enum class LoginOutcome { Success, WrongCredentials, LockedOut };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::WrongCredentials;
  std::string sessionCookie;  // the secret cookie value, only on success
  std::string csrfToken;
  ConsoleUser user;  // who signed in, only on success
  std::optional<Timestamp> lockedUntil;  // when LockedOut
};

struct AuthenticatedSession {
  std::string idHash;
  ConsoleUser user;
  std::string csrfToken;
};

enum class PasswordChangeOutcome { Changed, WrongCurrentPassword, TooShort, SameAsCurrent };

// Console sign-in: password check with lockout, server-side sessions keyed by a hash of the
// cookie, a CSRF token per session. Clock is passed in so tests control it.
class ConsoleAuth {
 public:
  ConsoleAuth(Storage& storage, ConsoleAuthSettings settings);

  // Creates the first manager account when there is none. Returns its one-time password, or
  // nullopt when accounts already exist.
  std::optional<std::string> createFirstManagerIfNone(const std::string& username);

  // Unknown user names take as long as known ones and give the same answer.
  LoginResult login(const std::string& username, const std::string& password, Timestamp now);

  // The session behind a cookie value, if it is live at `now` (its last use is refreshed).
  std::optional<AuthenticatedSession> authenticate(const std::string& sessionCookie, Timestamp now);

  [[nodiscard]] static bool csrfTokenMatches(const AuthenticatedSession& session,
                                             const std::string& presented);

  void logout(const AuthenticatedSession& session);

  // On success every other session of the user ends and the current one stays.
  PasswordChangeOutcome changePassword(const AuthenticatedSession& session,
                                       const std::string& currentPassword,
                                       const std::string& newPassword);

  [[nodiscard]] const ConsoleAuthSettings& settings() const { return settings_; }

 private:
  Storage& storage_;
  ConsoleAuthSettings settings_;
  std::string dummyHash_;  // verified against for unknown user names, to even out timing
};

}  // namespace clubsafe::collector
