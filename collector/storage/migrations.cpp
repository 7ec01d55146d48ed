#include "collector/storage/migrations.hpp"

#include "common/time.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <set>
#include <stdexcept>
#include <string>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;

// Conventions for every table: times are UTC text from common::formatTimestamp, which has a
// fixed width, so comparing them as text orders them in time; booleans are 0 or 1; a NULL
// time means "never".
const std::vector<Migration> kSqliteMigrations = {
    {1,
     "devices, enrolment tokens and events",
     {R"sql(
CREATE TABLE devices (
  id                TEXT PRIMARY KEY,
  secret_hash       TEXT NOT NULL,
  name              TEXT NOT NULL,
  hostname          TEXT NOT NULL,
  os                TEXT NOT NULL,
  agent_version     TEXT NOT NULL,
  enrolled_at       TEXT NOT NULL,
  last_seen         TEXT,
  highest_seq       BIGINT NOT NULL DEFAULT 0,
  backlog           BIGINT NOT NULL DEFAULT 0,
  queue_lag_seconds BIGINT NOT NULL DEFAULT 0,
  revoked_at        TEXT
))sql",
      // used_by_device is checked at commit, so enrolment can consume the token before it
      // inserts the device it names.
      R"sql(
CREATE TABLE enrolment_tokens (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT NOT NULL UNIQUE,
  label          TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  used_at        TEXT,
  used_by_device TEXT REFERENCES devices (id) DEFERRABLE INITIALLY DEFERRED,
  revoked_at     TEXT
))sql",
      R"sql(
CREATE TABLE events (
  device_id   TEXT NOT NULL REFERENCES devices (id),
  seq         BIGINT NOT NULL,
  type        TEXT NOT NULL,
  time        TEXT NOT NULL,
  os_user     TEXT NOT NULL,
  member      TEXT NOT NULL,
  profile     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (device_id, seq)
))sql"}},
    {2,
     "console users and sessions",
     {R"sql(
CREATE TABLE console_users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE,
  role                 TEXT NOT NULL,
  password_hash        TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_logins        INTEGER NOT NULL DEFAULT 0,
  locked_until         TEXT
))sql",
      R"sql(
CREATE TABLE console_sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL
))sql",
      "CREATE INDEX console_sessions_by_user ON console_sessions (user_id)",
      "CREATE INDEX console_sessions_by_last_use ON console_sessions (last_used_at)"}},
    {3,
     "policy documents and audit log",
     {R"sql(
CREATE TABLE policy_documents (
  version    INTEGER PRIMARY KEY,
  body       TEXT NOT NULL,
  etag       TEXT NOT NULL,
  created_at TEXT NOT NULL
))sql",
      R"sql(
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  time   TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
))sql"}},
    {4,
     "events by type and time, for retention",
     {"CREATE INDEX events_by_type_time ON events (type, time)"}},
};

std::set<int> appliedVersions(Poco::Data::Session& session) {
  std::vector<int> versions;
  session << "SELECT version FROM schema_migrations", db::into(versions), db::now;
  return {versions.begin(), versions.end()};
}

}  // namespace

const std::vector<Migration>& sqliteMigrations() {
  return kSqliteMigrations;
}

std::size_t applyMigrations(Poco::Data::Session& session, std::span<const Migration> migrations,
                            common::Timestamp now) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
      db::now;

  std::set<int> known;
  for (const auto& migration : migrations) known.insert(migration.version);
  const std::set<int> done = appliedVersions(session);
  for (const int version : done) {
    if (!known.contains(version)) {
      throw std::runtime_error("The database has schema version " + std::to_string(version) +
                               ", which this collector does not know: it was written by a newer "
                               "clubsafe-collector. Install that version again.");
    }
  }

  std::size_t applied = 0;
  const std::string appliedAt = common::formatTimestamp(now);
  for (const auto& migration : migrations) {
    if (done.contains(migration.version)) continue;
    // Should a second collector apply the same migration at the same moment, one of the two
    // fails on schema_migrations' primary key and rolls back: none is applied twice.
    Poco::Data::Transaction transaction(session);
    for (const auto statement : migration.statements) {
      session << std::string(statement), db::now;
    }
    session << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
        db::bind(migration.version), db::bind(appliedAt), db::now;
    transaction.commit();
    ++applied;
  }
  return applied;
}

}  // namespace clubsafe::collector
