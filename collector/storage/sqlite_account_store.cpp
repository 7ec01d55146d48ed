#include "collector/storage/sqlite_account_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"

#include <Poco/StringTokenizer.h>
#include <Poco/Tuple.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

// A user's roles come as one comma-separated text (role names hold no comma).
const std::string kSelectUsers =
    "SELECT id, username, (SELECT group_concat(role) FROM console_user_roles WHERE user_id = "
    "console_users.id), password_hash, must_change_password, failed_logins, locked_until, "
    "disabled_at, EXISTS (SELECT 1 FROM console_totp WHERE user_id = console_users.id AND "
    "confirmed_at IS NOT NULL) FROM console_users";
using UserRow = Tuple<Int64, std::string, NullableText, std::string, bool, Int64, NullableText,
                      NullableText, bool>;

std::vector<std::string> splitRoles(const NullableText& stored) {
  if (stored.isNull()) return {};
  Poco::StringTokenizer names(stored.value(), ",", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  std::vector<std::string> roles(names.begin(), names.end());
  std::ranges::sort(roles);
  return roles;
}

ConsoleUser toUser(const UserRow& row) {
  return {.id = row.get<0>(),
          .username = row.get<1>(),
          .roles = splitRoles(row.get<2>()),
          .passwordHash = row.get<3>(),
          .mustChangePassword = row.get<4>(),
          .failedLogins = row.get<5>(),
          .lockedUntil = readOptionalTime(row.get<6>()),
          .disabledAt = readOptionalTime(row.get<7>()),
          .totpEnabled = row.get<8>()};
}

using SessionRow = Tuple<std::string, Int64, std::string, std::string, std::string>;

SessionRecord toSession(const SessionRow& row) {
  return {.idHash = row.get<0>(),
          .userId = row.get<1>(),
          .csrfToken = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .lastUsedAt = readTime(row.get<4>())};
}

void insertSession(Session& session, const SessionRecord& record) {
  execute(session,
          "INSERT INTO console_sessions (id_hash, user_id, csrf_token, created_at, last_used_at) "
          "VALUES (?, ?, ?, ?, ?)",
          record.idHash, record.userId, record.csrfToken, text(record.createdAt),
          text(record.lastUsedAt));
}

void insertRoles(Session& session, std::int64_t userId, const std::vector<std::string>& roles) {
  for (const auto& role : roles) {
    execute(session, "INSERT OR IGNORE INTO console_user_roles (user_id, role) VALUES (?, ?)",
            userId, role);
  }
}

// Called inside a changing transaction, after the change: throwing rolls it back.
void requireAnEnabledManager(Session& session) {
  const auto managers = query<Int64>(session,
                                     "SELECT COUNT(*) FROM console_users u JOIN console_user_roles "
                                     "r ON r.user_id = u.id AND r.role = ? "
                                     "WHERE u.disabled_at IS NULL",
                                     std::string(kManagerRoleName))
                            .at(0);
  if (managers == 0) throw LastManagerError();
}

bool userExists(Session& session, std::int64_t userId) {
  return !query<Int64>(session, "SELECT id FROM console_users WHERE id = ?", userId).empty();
}

}  // namespace

std::size_t SqliteAccountStore::countUsers() {
  return database_.read("count console users", [&](Session& session) {
    return static_cast<std::size_t>(
        query<Int64>(session, "SELECT COUNT(*) FROM console_users").at(0));
  });
}

std::int64_t SqliteAccountStore::createUser(const NewConsoleUser& user, const AuditEntry& audit) {
  return database_.write("create a console user", [&](Session& session) {
    if (!query<Int64>(session, "SELECT id FROM console_users WHERE username = ?", user.username)
             .empty()) {
      throw UserNameTakenError();
    }
    const auto id = query<Int64>(session,
                                 "INSERT INTO console_users (username, password_hash, "
                                 "must_change_password) VALUES (?, ?, ?) RETURNING id",
                                 user.username, user.passwordHash, user.mustChangePassword)
                        .at(0);
    insertRoles(session, id, user.roles);
    insertAuditEntry(session, audit);
    return static_cast<std::int64_t>(id);
  });
}

std::optional<ConsoleUser> SqliteAccountStore::findUserByName(const std::string& username) {
  return database_.read("find a console user", [&](Session& session) {
    return convertFirst(query<UserRow>(session, kSelectUsers + " WHERE username = ?", username),
                        toUser);
  });
}

std::optional<ConsoleUser> SqliteAccountStore::findUserById(std::int64_t id) {
  return database_.read("find a console user", [&](Session& session) {
    return convertFirst(query<UserRow>(session, kSelectUsers + " WHERE id = ?", id), toUser);
  });
}

std::vector<ConsoleUser> SqliteAccountStore::listUsers() {
  return database_.read("list console users", [&](Session& session) {
    return convertAll(query<UserRow>(session, kSelectUsers + " ORDER BY username"), toUser);
  });
}

bool SqliteAccountStore::setRoles(std::int64_t userId, const std::vector<std::string>& roles,
                                  const AuditEntry& audit) {
  return database_.write("change a console user's roles", [&](Session& session) {
    if (!userExists(session, userId)) return false;
    execute(session, "DELETE FROM console_user_roles WHERE user_id = ?", userId);
    insertRoles(session, userId, roles);
    requireAnEnabledManager(session);
    insertAuditEntry(session, audit);
    return true;
  });
}

bool SqliteAccountStore::setDisabled(std::int64_t userId, std::optional<Timestamp> disabledAt,
                                     const AuditEntry& audit) {
  return database_.write("disable or enable a console user", [&](Session& session) {
    if (execute(session, "UPDATE console_users SET disabled_at = ? WHERE id = ?",
                nullableText(disabledAt), userId) == 0) {
      return false;
    }
    if (disabledAt) execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
    requireAnEnabledManager(session);
    insertAuditEntry(session, audit);
    return true;
  });
}

bool SqliteAccountStore::resetPassword(std::int64_t userId, const std::string& passwordHash,
                                       const AuditEntry& audit) {
  return database_.write("reset a console user's password", [&](Session& session) {
    if (execute(session,
                "UPDATE console_users SET password_hash = ?, must_change_password = 1, "
                "failed_logins = 0, locked_until = NULL WHERE id = ?",
                passwordHash, userId) == 0) {
      return false;
    }
    execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
    insertAuditEntry(session, audit);
    return true;
  });
}

std::optional<Timestamp> SqliteAccountStore::recordLoginFailure(std::int64_t userId,
                                                                const LockoutRule& rule,
                                                                Timestamp now) {
  return database_.write("record a failed sign-in", [&](Session& session) {
    // The count and the lock in one statement: SET reads the row as it was, so
    // failed_logins + 1 is this failure's number. Every rule.failures-th failure locks, so
    // after a lock runs out the user has the full number of tries again. A lock in force is
    // neither counted against nor stretched, and only an expired lock is cleared.
    const auto counted = query<NullableText>(
        session,
        "UPDATE console_users SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
        "? > 0 AND (failed_logins + 1) % ? = 0 THEN ? ELSE NULL END "
        "WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?) RETURNING locked_until",
        rule.failures, std::max(rule.failures, 1), text(rule.lockUntil), userId, text(now));
    if (!counted.empty()) return readOptionalTime(counted.front());
    const auto lock =
        query<NullableText>(session, "SELECT locked_until FROM console_users WHERE id = ?", userId);
    return lock.empty() ? std::nullopt : readOptionalTime(lock.front());
  });
}

bool SqliteAccountStore::recordLoginSuccess(const SessionRecord& record, const AuditEntry& audit,
                                            Timestamp now) {
  return database_.write("record a sign-in", [&](Session& session) {
    // Decided with the change, so a lock set or a disabling made while the password was being
    // checked still refuses the sign-in.
    if (execute(session,
                "UPDATE console_users SET failed_logins = 0, locked_until = NULL WHERE id = ? "
                "AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= ?)",
                record.userId, text(now)) == 0) {
      return false;
    }
    insertSession(session, record);
    insertAuditEntry(session, audit);
    return true;
  });
}

void SqliteAccountStore::setPassword(std::int64_t userId, const std::string& passwordHash,
                                     bool mustChangePassword,
                                     const std::optional<SessionRecord>& record,
                                     const AuditEntry& audit) {
  database_.write("change a password", [&](Session& session) {
    execute(session,
            "UPDATE console_users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            passwordHash, mustChangePassword, userId);
    execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
    if (record) insertSession(session, *record);
    insertAuditEntry(session, audit);
  });
}

std::optional<SessionRecord> SqliteAccountStore::findSession(const std::string& idHash) {
  return database_.read("find a console session", [&](Session& session) {
    return convertFirst(query<SessionRow>(session,
                                          "SELECT id_hash, user_id, csrf_token, created_at, "
                                          "last_used_at FROM console_sessions WHERE id_hash = ?",
                                          idHash),
                        toSession);
  });
}

void SqliteAccountStore::touchSession(const std::string& idHash, Timestamp lastUsedAt) {
  database_.write("refresh a console session", [&](Session& session) {
    execute(session, "UPDATE console_sessions SET last_used_at = ? WHERE id_hash = ?",
            text(lastUsedAt), idHash);
  });
}

void SqliteAccountStore::deleteSession(const std::string& idHash) {
  database_.write("end a console session", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE id_hash = ?", idHash);
  });
}

void SqliteAccountStore::deleteSessionsIdleSince(Timestamp cutoff) {
  database_.write("end idle console sessions", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE last_used_at < ?", text(cutoff));
  });
}

}  // namespace clubsafe::collector
