#pragma once

#include "collector/storage/account_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The console_users and console_sessions tables.
class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(SqliteDatabase& database) : database_(database) {}

  std::size_t countUsers() override;
  std::int64_t createUser(const std::string& username, const std::string& role,
                          const std::string& passwordHash, bool mustChangePassword) override;
  std::optional<ConsoleUser> findUserByName(const std::string& username) override;
  std::optional<ConsoleUser> findUserById(std::int64_t id) override;
  void recordLoginFailure(std::int64_t userId, std::optional<Timestamp> lockedUntil) override;
  void recordLoginSuccess(const SessionRecord& session, const AuditEntry& audit) override;
  void setPassword(std::int64_t userId, const std::string& passwordHash, bool mustChangePassword,
                   const AuditEntry& audit) override;

  void createSession(const SessionRecord& session) override;
  std::optional<SessionRecord> findSession(const std::string& idHash) override;
  void touchSession(const std::string& idHash, Timestamp lastUsedAt) override;
  void deleteSession(const std::string& idHash) override;
  void deleteSessionsOfUser(std::int64_t userId) override;
  void deleteSessionsIdleSince(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
