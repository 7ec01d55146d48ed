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
  bool totpEnabled = false;  // two-step sign-in is on: enrolment was confirmed with a code

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

// A user's authenticator key (TOTP, collector/auth/totp.hpp): the secret's bytes, whether
// enrolment was confirmed with a code, and the newest time step a code was accepted for (that
// step and older ones are refused: a code seen over someone's shoulder is worth nothing).
struct TotpKey {
  std::string secret;
  bool confirmed = false;
  std::int64_t lastUsedStep = -1;
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

  // Two-step sign-in (console_totp, console_recovery_codes; sqlite_account_totp.cpp).
  // Starts, or starts again with a new secret, an enrolment not confirmed yet; false, changing
  // nothing, when the user has a confirmed key or does not exist.
  virtual bool startTotpEnrolment(std::int64_t userId, const std::string& secret,
                                  Timestamp now) = 0;
  virtual std::optional<TotpKey> findTotpKey(std::int64_t userId) = 0;
  // Accepts a code of `step` for a confirmed key: false when that step or a later one was
  // accepted before (a replay), decided in one statement.
  virtual bool useTotpStep(std::int64_t userId, std::int64_t step) = 0;
  // Confirms an enrolment with a code of `step`, storing the hashes of new recovery codes in
  // place of any before; false, changing nothing, when there is no enrolment waiting.
  virtual bool confirmTotp(std::int64_t userId, std::int64_t step,
                           const std::vector<std::string>& recoveryCodeHashes,
                           const AuditEntry& audit) = 0;
  // New recovery codes (hashes) in place of the user's others, used or not.
  virtual void replaceRecoveryCodes(std::int64_t userId,
                                    const std::vector<std::string>& recoveryCodeHashes,
                                    const AuditEntry& audit) = 0;
  // Uses up one of the user's recovery codes; false when the hash is no unused code of theirs.
  virtual bool useRecoveryCode(std::int64_t userId, const std::string& codeHash,
                               const AuditEntry& audit) = 0;
  // The user's recovery codes not used yet.
  virtual std::size_t countRecoveryCodes(std::int64_t userId) = 0;
  // Two-step sign-in off for the user: key and recovery codes deleted, every session ended
  // (the next sign-in enrols again where the club requires it). False when there is no such
  // user.
  virtual bool resetTotp(std::int64_t userId, const AuditEntry& audit) = 0;

  // Console sessions.
  virtual std::optional<SessionRecord> findSession(const std::string& idHash) = 0;
  virtual void touchSession(const std::string& idHash, Timestamp lastUsedAt) = 0;
  virtual void deleteSession(const std::string& idHash) = 0;
  virtual void deleteSessionsIdleSince(Timestamp cutoff) = 0;
};

}  // namespace clubsafe::collector
