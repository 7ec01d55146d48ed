// SqliteAccountStore's two-step sign-in: console_totp and console_recovery_codes (migration 19).
#include "collector/storage/sqlite_account_store.hpp"
#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Data::Session;

void insertRecoveryCodes(Session& session, std::int64_t userId,
                         const std::vector<std::string>& hashes) {
  execute(session, "DELETE FROM console_recovery_codes WHERE user_id = ?", userId);
  for (const auto& hash : hashes) {
    execute(session, "INSERT INTO console_recovery_codes (user_id, code_hash) VALUES (?, ?)",
            userId, hash);
  }
}

}  // namespace

bool SqliteAccountStore::startTotpEnrolment(std::int64_t userId, const std::string& secret,
                                            Timestamp now) {
  return database_.write("start two-step sign-in", [&](Session& session) {
    if (query<Int64>(session, "SELECT id FROM console_users WHERE id = ?", userId).empty()) {
      return false;
    }
    // A confirmed key stays: replacing it needs a reset, which is audited.
    return execute(session,
                   "INSERT INTO console_totp (user_id, secret, created_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = "
                   "excluded.created_at, last_used_step = -1 WHERE confirmed_at IS NULL",
                   userId, secret, text(now)) == 1;
  });
}

std::optional<TotpKey> SqliteAccountStore::findTotpKey(std::int64_t userId) {
  return database_.read("find an authenticator key", [&](Session& session) {
    using Row = Poco::Tuple<std::string, bool, Int64>;
    return convertFirst(
        query<Row>(session,
                   "SELECT secret, confirmed_at IS NOT NULL, last_used_step FROM console_totp "
                   "WHERE user_id = ?",
                   userId),
        [](const Row& row) {
          return TotpKey{
              .secret = row.get<0>(), .confirmed = row.get<1>(), .lastUsedStep = row.get<2>()};
        });
  });
}

bool SqliteAccountStore::useTotpStep(std::int64_t userId, std::int64_t step) {
  return database_.write("use a two-step code", [&](Session& session) {
    return execute(session,
                   "UPDATE console_totp SET last_used_step = ? WHERE user_id = ? AND "
                   "confirmed_at IS NOT NULL AND last_used_step < ?",
                   step, userId, step) == 1;
  });
}

bool SqliteAccountStore::confirmTotp(std::int64_t userId, std::int64_t step,
                                     const std::vector<std::string>& recoveryCodeHashes,
                                     const AuditEntry& audit) {
  return database_.write("turn on two-step sign-in", [&](Session& session) {
    if (execute(session,
                "UPDATE console_totp SET confirmed_at = ?, last_used_step = ? WHERE user_id = ? "
                "AND confirmed_at IS NULL AND last_used_step < ?",
                text(audit.time), step, userId, step) == 0) {
      return false;
    }
    insertRecoveryCodes(session, userId, recoveryCodeHashes);
    insertAuditEntry(session, audit);
    return true;
  });
}

void SqliteAccountStore::replaceRecoveryCodes(std::int64_t userId,
                                              const std::vector<std::string>& recoveryCodeHashes,
                                              const AuditEntry& audit) {
  database_.write("replace recovery codes", [&](Session& session) {
    insertRecoveryCodes(session, userId, recoveryCodeHashes);
    insertAuditEntry(session, audit);
  });
}

bool SqliteAccountStore::useRecoveryCode(std::int64_t userId, const std::string& codeHash,
                                         const AuditEntry& audit) {
  return database_.write("use a recovery code", [&](Session& session) {
    if (execute(session,
                "UPDATE console_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? "
                "AND used_at IS NULL",
                text(audit.time), userId, codeHash) == 0) {
      return false;
    }
    insertAuditEntry(session, audit);
    return true;
  });
}

std::size_t SqliteAccountStore::countRecoveryCodes(std::int64_t userId) {
  return database_.read("count recovery codes", [&](Session& session) {
    return static_cast<std::size_t>(
        query<Int64>(session,
                     "SELECT COUNT(*) FROM console_recovery_codes WHERE user_id = ? AND used_at "
                     "IS NULL",
                     userId)
            .at(0));
  });
}

bool SqliteAccountStore::resetTotp(std::int64_t userId, const AuditEntry& audit) {
  return database_.write("turn off two-step sign-in", [&](Session& session) {
    if (query<Int64>(session, "SELECT id FROM console_users WHERE id = ?", userId).empty()) {
      return false;
    }
    execute(session, "DELETE FROM console_totp WHERE user_id = ?", userId);
    execute(session, "DELETE FROM console_recovery_codes WHERE user_id = ?", userId);
    execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
    insertAuditEntry(session, audit);
    return true;
  });
}

}  // namespace clubsafe::collector
