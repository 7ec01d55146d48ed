#include "collector/storage/sqlite_account_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

const std::string kSelectUsers =
    "SELECT id, username, role, password_hash, must_change_password, failed_logins, "
    "locked_until FROM console_users";
using UserRow = Tuple<Int64, std::string, std::string, std::string, bool, Int64, NullableText>;

ConsoleUser toUser(const UserRow& row) {
  return {.id = row.get<0>(),
          .username = row.get<1>(),
          .role = row.get<2>(),
          .passwordHash = row.get<3>(),
          .mustChangePassword = row.get<4>(),
          .failedLogins = row.get<5>(),
          .lockedUntil = readOptionalTime(row.get<6>())};
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

}  // namespace

std::size_t SqliteAccountStore::countUsers() {
  return database_.read("count console users", [&](Session& session) {
    return static_cast<std::size_t>(
        query<Int64>(session, "SELECT COUNT(*) FROM console_users").at(0));
  });
}

std::int64_t SqliteAccountStore::createUser(const std::string& username, const std::string& role,
                                            const std::string& passwordHash,
                                            bool mustChangePassword) {
  return database_.write("create a console user", [&](Session& session) {
    return query<Int64>(session,
                        "INSERT INTO console_users (username, role, password_hash, "
                        "must_change_password) VALUES (?, ?, ?, ?) RETURNING id",
                        username, role, passwordHash, mustChangePassword)
        .at(0);
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

void SqliteAccountStore::recordLoginFailure(std::int64_t userId,
                                            std::optional<Timestamp> lockedUntil) {
  database_.write("record a failed sign-in", [&](Session& session) {
    execute(session,
            "UPDATE console_users SET failed_logins = failed_logins + 1, locked_until = ? "
            "WHERE id = ?",
            nullableText(lockedUntil), userId);
  });
}

void SqliteAccountStore::recordLoginSuccess(const SessionRecord& record, const AuditEntry& audit) {
  database_.write("record a sign-in", [&](Session& session) {
    execute(session, "UPDATE console_users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
            record.userId);
    insertSession(session, record);
    insertAuditEntry(session, audit);
  });
}

void SqliteAccountStore::setPassword(std::int64_t userId, const std::string& passwordHash,
                                     bool mustChangePassword, const AuditEntry& audit) {
  database_.write("change a password", [&](Session& session) {
    execute(session,
            "UPDATE console_users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            passwordHash, mustChangePassword, userId);
    insertAuditEntry(session, audit);
  });
}

void SqliteAccountStore::createSession(const SessionRecord& record) {
  database_.write("start a console session",
                  [&](Session& session) { insertSession(session, record); });
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

void SqliteAccountStore::deleteSessionsOfUser(std::int64_t userId) {
  database_.write("end a user's console sessions", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
  });
}

void SqliteAccountStore::deleteSessionsIdleSince(Timestamp cutoff) {
  database_.write("end idle console sessions", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE last_used_at < ?", text(cutoff));
  });
}

}  // namespace clubsafe::collector
