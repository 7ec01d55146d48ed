#pragma once

#include "collector/storage/audit_log.hpp"
#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace clubsafe::collector {

using common::Timestamp;

struct ConsoleUser {
  std::int64_t id = 0;
  std::string username;
  std::string role;  // "manager" for now; dsl, worker and trustee come with C4
  std::string passwordHash;
  bool mustChangePassword = false;
  std::int64_t failedLogins = 0;  // consecutive failures since the last success
  std::optional<Timestamp> lockedUntil;
};

struct SessionRecord {
  std::string idHash;  // SHA-256 of the cookie value; the cookie value is never stored
  std::int64_t userId = 0;
  std::string csrfToken;
  Timestamp createdAt{};
  Timestamp lastUsedAt{};
};

// Console users and their sessions. Every method is one transaction. Implementations are safe
// to call from many threads.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Console users.
  virtual std::size_t countUsers() = 0;
  virtual std::int64_t createUser(const std::string& username, const std::string& role,
                                  const std::string& passwordHash, bool mustChangePassword) = 0;
  virtual std::optional<ConsoleUser> findUserByName(const std::string& username) = 0;
  virtual std::optional<ConsoleUser> findUserById(std::int64_t id) = 0;
  virtual void recordLoginFailure(std::int64_t userId, std::optional<Timestamp> lockedUntil) = 0;
  // A sign-in of `session.userId`: clears its failures, starts the session and writes `audit`.
  virtual void recordLoginSuccess(const SessionRecord& session, const AuditEntry& audit) = 0;
  // Writes `audit` in the same transaction.
  virtual void setPassword(std::int64_t userId, const std::string& passwordHash,
                           bool mustChangePassword, const AuditEntry& audit) = 0;

  // Console sessions.
  virtual void createSession(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> findSession(const std::string& idHash) = 0;
  virtual void touchSession(const std::string& idHash, Timestamp lastUsedAt) = 0;
  virtual void deleteSession(const std::string& idHash) = 0;
  virtual void deleteSessionsOfUser(std::int64_t userId) = 0;
  virtual void deleteSessionsIdleSince(Timestamp cutoff) = 0;
};

}  // namespace clubsafe::collector
