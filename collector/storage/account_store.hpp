#pragma once

#include "collector/storage/audit_log.hpp"
#include "common/event.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// The role whose holders manage users: a change that would leave no enabled user holding it is
// refused (LastManagerError), so a club cannot lock itself out of its console.
inline constexpr std::string_view kManagerRoleName = "manager";

struct ConsoleUser {
  std::int64_t id = 0;
  std::string username;
  std::vector<std::string> roles;  // sorted; names of collector/http/console/roles.hpp
  std::string passwordHash;
  bool mustChangePassword = false;
  std::int64_t failedLogins = 0;  // consecutive failures since the last success
  std::optional<Timestamp> lockedUntil;
  std::optional<Timestamp> disabledAt;  // a disabled user cannot sign in

  [[nodiscard]] bool hasRole(std::string_view role) const {
    return std::ranges::find(roles, role) != roles.end();
  }
};

struct NewConsoleUser {
  std::string username;
  std::vector<std::string> roles;
  std::string passwordHash;
  bool mustChangePassword = true;
};

struct SessionRecord {
  std::string idHash;  // SHA-256 of the cookie value; the cookie value is never stored
  std::int64_t userId = 0;
  std::string csrfToken;
  Timestamp createdAt{};
  Timestamp lastUsedAt{};
};

// How many consecutive wrong passwords lock an account, and until when the lock a failure now
// would set lasts. failures 0: never locked.
struct LockoutRule {
  int failures = 5;
  Timestamp lockUntil{};
};

// The change would leave no enabled user with the manager role; nothing was changed.
class LastManagerError : public std::runtime_error {
 public:
  LastManagerError()
      : std::runtime_error("The club would be left without a manager who can sign in.") {}
};

// Another user already has this name; nothing was stored.
class UserNameTakenError : public std::runtime_error {
 public:
  UserNameTakenError() : std::runtime_error("That user name is taken.") {}
};

// Console users and their sessions. Every method is one transaction; a method taking an
// AuditEntry writes it in that transaction. Implementations are safe to call from many threads.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Console users.
  virtual std::size_t countUsers() = 0;
  // Throws UserNameTakenError.
  virtual std::int64_t createUser(const NewConsoleUser& user, const AuditEntry& audit) = 0;
  virtual std::optional<ConsoleUser> findUserByName(const std::string& username) = 0;
  virtual std::optional<ConsoleUser> findUserById(std::int64_t id) = 0;
  // Every user, by name.
  virtual std::vector<ConsoleUser> listUsers() = 0;
  // False when there is no such user. Throws LastManagerError.
  virtual bool setRoles(std::int64_t userId, const std::vector<std::string>& roles,
                        const AuditEntry& audit) = 0;
  // Disables (ending every session of the user) or, with nullopt, enables a user. False when
  // there is no such user. Throws LastManagerError.
  virtual bool setDisabled(std::int64_t userId, std::optional<Timestamp> disabledAt,
                           const AuditEntry& audit) = 0;
  // A one-time password the user must replace at the next sign-in: clears failures and lock,
  // ends every session. False when there is no such user.
  virtual bool resetPassword(std::int64_t userId, const std::string& passwordHash,
                             const AuditEntry& audit) = 0;

  // Sign-in. A failure is counted, and the lock decided, in one statement, so failures checked
  // at once cannot lose counts or clear each other's lock. A failure whose check ends while the
  // account is locked is not counted. Returns the lock in force after it (nullopt: none).
  virtual std::optional<Timestamp> recordLoginFailure(std::int64_t userId, const LockoutRule& rule,
                                                      Timestamp now) = 0;
  // A sign-in of `session.userId` at `now`: clears its failures, starts the session and writes
  // `audit`; false, changing nothing, when the user is locked at `now` or disabled.
  virtual bool recordLoginSuccess(const SessionRecord& session, const AuditEntry& audit,
                                  Timestamp now) = 0;
  // A new password: every session of the user ends and `session` (a fresh id) starts, when
  // given.
  virtual void setPassword(std::int64_t userId, const std::string& passwordHash,
                           bool mustChangePassword, const std::optional<SessionRecord>& session,
                           const AuditEntry& audit) = 0;

  // Console sessions.
  virtual std::optional<SessionRecord> findSession(const std::string& idHash) = 0;
  virtual void touchSession(const std::string& idHash, Timestamp lastUsedAt) = 0;
  virtual void deleteSession(const std::string& idHash) = 0;
  virtual void deleteSessionsIdleSince(Timestamp cutoff) = 0;
};

}  // namespace clubsafe::collector
