#pragma once

#include "collector/storage/account_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The console_users, console_user_roles and console_sessions tables, and two-step sign-in's
// console_totp and console_recovery_codes (sqlite_account_totp.cpp).
class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(SqliteDatabase& database) : database_(database) {}

  std::size_t countUsers() override;
  std::int64_t createUser(const NewConsoleUser& user, const AuditEntry& audit) override;
  std::optional<ConsoleUser> findUserByName(const std::string& username) override;
  std::optional<ConsoleUser> findUserById(std::int64_t id) override;
  std::vector<ConsoleUser> listUsers() override;
  bool setRoles(std::int64_t userId, const std::vector<std::string>& roles,
                const AuditEntry& audit) override;
  bool setDisabled(std::int64_t userId, std::optional<Timestamp> disabledAt,
                   const AuditEntry& audit) override;
  bool resetPassword(std::int64_t userId, const std::string& passwordHash,
                     const AuditEntry& audit) override;
  std::optional<Timestamp> recordLoginFailure(std::int64_t userId, const LockoutRule& rule,
                                              Timestamp now) override;
  bool recordLoginSuccess(const SessionRecord& session, const AuditEntry& audit,
                          Timestamp now) override;
  void setPassword(std::int64_t userId, const std::string& passwordHash, bool mustChangePassword,
                   const std::optional<SessionRecord>& session, const AuditEntry& audit) override;

  bool startTotpEnrolment(std::int64_t userId, const std::string& secret, Timestamp now) override;
  std::optional<TotpKey> findTotpKey(std::int64_t userId) override;
  bool useTotpStep(std::int64_t userId, std::int64_t step) override;
  bool confirmTotp(std::int64_t userId, std::int64_t step,
                   const std::vector<std::string>& recoveryCodeHashes,
                   const AuditEntry& audit) override;
  void replaceRecoveryCodes(std::int64_t userId, const std::vector<std::string>& recoveryCodeHashes,
                            const AuditEntry& audit) override;
  bool useRecoveryCode(std::int64_t userId, const std::string& codeHash,
                       const AuditEntry& audit) override;
  std::size_t countRecoveryCodes(std::int64_t userId) override;
  bool resetTotp(std::int64_t userId, const AuditEntry& audit) override;

  std::optional<SessionRecord> findSession(const std::string& idHash) override;
  void touchSession(const std::string& idHash, Timestamp lastUsedAt) override;
  void deleteSession(const std::string& idHash) override;
  void deleteSessionsIdleSince(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
