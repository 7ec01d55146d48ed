#include "agent/outbox/outbox.hpp"

#include "common/batch_codec.hpp"

#include <filesystem>

namespace clubsafe::agent::outbox {
namespace {

constexpr int kSchemaVersion = 1;
constexpr int kBusyTimeoutMs = 5000;

Database openDatabase(const std::string& path, Outbox::Access access) {
  try {
    return Database(path, access == Outbox::Access::ReadOnly ? Database::Mode::ReadOnly
                                                             : Database::Mode::ReadWriteCreate);
  } catch (const SqliteError& error) {
    if (access == Outbox::Access::ReadOnly) {
      throw OutboxError("Cannot read the outbox file " + path + " (" + error.what() +
                        "). Run this as root (with sudo), or name the agent's state directory "
                        "with --define agent.state_dir=DIR.");
    }
    throw OutboxError("Cannot open the outbox file " + path + " for writing (" + error.what() +
                      "). Check that the agent runs as root and that its state directory exists "
                      "and is writable.");
  }
}

std::int64_t toMillis(common::Timestamp time) { return time.time_since_epoch().count(); }

std::string describe(const std::string& path, const SqliteError& error, std::string_view doing) {
  const std::string detail = " (" + std::string(error.what()) + ")";
  switch (error.code()) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "The outbox file " + path + " is damaged" + detail +
             ". Stop the agent, move the file aside (events still in it will not be sent) and "
             "start the agent again: it makes a new, empty outbox.";
    case SQLITE_FULL:
      return "The disk holding the outbox file " + path + " is full" + detail +
             ". Free some space: new events cannot be saved until then.";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "The outbox file " + path + " cannot be written" + detail +
             ". Check that the agent runs as root and that its state directory is writable.";
    default:
      return "The outbox file " + path + " failed while " + std::string(doing) + detail + ".";
  }
}

}  // namespace

std::string outboxPath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "outbox.db").string();
}

Outbox::Outbox(std::string path, Access access)
    : path_(std::move(path)), db_(openDatabase(path_, access)) {
  sqlite3_busy_timeout(db_.handle(), kBusyTimeoutMs);
  try {
    if (access == Access::ReadWrite) {
      db_.execute("PRAGMA journal_mode=WAL");
      db_.execute("PRAGMA synchronous=FULL");
      createSchema();
    }
    // Reading the table proves the file is a readable outbox, so damage is reported here, once,
    // instead of on the first event.
    (void)depth();
  } catch (const SqliteError& error) {
    fail(error, "opening it");
  }
}

void Outbox::createSchema() {
  auto version = db_.prepare("PRAGMA user_version");
  int found = 0;
  version.forEachRow([&](const Statement& row) { found = static_cast<int>(row.integer(0)); });
  if (found > kSchemaVersion) {
    throw OutboxError("The outbox file " + path_ + " was made by a newer clubsafe-agent (schema " +
                      std::to_string(found) + "). Install that version again, or move the file "
                      "aside to start a new, empty outbox.");
  }
  Transaction transaction(db_);
  db_.execute(
      "CREATE TABLE IF NOT EXISTS events ("
      " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      " priority INTEGER NOT NULL,"
      " time_ms INTEGER NOT NULL,"
      " body TEXT NOT NULL,"
      " bytes INTEGER NOT NULL)");
  db_.execute("CREATE INDEX IF NOT EXISTS events_by_priority ON events (priority DESC, seq)");
  db_.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_.execute("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  transaction.commit();
}

void Outbox::fail(const SqliteError& error, std::string_view doing) const {
  throw OutboxError(describe(path_, error, doing));
}

Status Outbox::failure(const SqliteError& error, std::string_view doing) const {
  return Status::failure(describe(path_, error, doing));
}

Status Outbox::append(common::Event& event) {
  std::lock_guard lock(mutex_);
  try {
    Transaction transaction(db_);
    std::int64_t last = 0;
    db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        .forEachRow([&](const Statement& row) { last = row.integer(0); });
    event.sequence = last + 1;
    const std::string body = common::encodeEvent(event);
    db_.prepare("INSERT INTO events (seq, priority, time_ms, body, bytes) VALUES (?, ?, ?, ?, ?)")
        .bind(1, event.sequence)
        .bind(2, static_cast<std::int64_t>(common::eventTypeInfo(event.type).priority))
        .bind(3, toMillis(event.time))
        .bind(4, body)
        .bind(5, static_cast<std::int64_t>(body.size()))
        .run();
    transaction.commit();
    return Status::success();
  } catch (const SqliteError& error) {
    event.sequence = 0;
    return failure(error, "saving an event");
  }
}

std::vector<PendingEvent> Outbox::nextBatch(std::size_t max) {
  std::lock_guard lock(mutex_);
  std::vector<PendingEvent> batch;
  try {
    db_.prepare("SELECT seq, body FROM events ORDER BY priority DESC, seq LIMIT ?")
        .bind(1, static_cast<std::int64_t>(max))
        .forEachRow([&](const Statement& row) { batch.push_back({row.integer(0), row.text(1)}); });
  } catch (const SqliteError& error) {
    fail(error, "reading waiting events");
  }
  return batch;
}

Status Outbox::remove(std::span<const std::int64_t> sequences) {
  std::lock_guard lock(mutex_);
  try {
    Transaction transaction(db_);
    auto statement = db_.prepare("DELETE FROM events WHERE seq = ?");
    for (const auto sequence : sequences) statement.bind(1, sequence).run();
    transaction.commit();
    return Status::success();
  } catch (const SqliteError& error) {
    return failure(error, "removing sent events");
  }
}

Status Outbox::ensureSequenceAbove(std::int64_t highest) {
  std::lock_guard lock(mutex_);
  try {
    Transaction transaction(db_);
    std::optional<std::int64_t> current;
    db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        .forEachRow([&](const Statement& row) { current = row.integer(0); });
    if (!current) {
      db_.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)")
          .bind(1, highest)
          .run();
    } else if (*current < highest) {
      db_.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").bind(1, highest).run();
    }
    transaction.commit();
    return Status::success();
  } catch (const SqliteError& error) {
    return failure(error, "moving the sequence counter");
  }
}

std::int64_t Outbox::depth() {
  std::lock_guard lock(mutex_);
  std::int64_t count = 0;
  try {
    db_.prepare("SELECT COUNT(*) FROM events").forEachRow([&](const Statement& row) {
      count = row.integer(0);
    });
  } catch (const SqliteError& error) {
    fail(error, "counting waiting events");
  }
  return count;
}

std::optional<common::Timestamp> Outbox::oldestPendingTime() {
  std::lock_guard lock(mutex_);
  std::optional<common::Timestamp> oldest;
  try {
    db_.prepare("SELECT MIN(time_ms) FROM events").forEachRow([&](const Statement& row) {
      if (!row.isNull(0)) oldest = common::Timestamp(std::chrono::milliseconds(row.integer(0)));
    });
  } catch (const SqliteError& error) {
    fail(error, "reading the oldest waiting event");
  }
  return oldest;
}

Status Outbox::setMeta(std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  try {
    db_.prepare(
           "INSERT INTO meta (key, value) VALUES (?, ?) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
    return Status::success();
  } catch (const SqliteError& error) {
    return failure(error, "recording " + std::string(key));
  }
}

std::optional<std::string> Outbox::meta(std::string_view key) {
  std::lock_guard lock(mutex_);
  std::optional<std::string> value;
  try {
    db_.prepare("SELECT value FROM meta WHERE key = ?").bind(1, key).forEachRow(
        [&](const Statement& row) { value = row.text(0); });
  } catch (const SqliteError& error) {
    fail(error, "reading " + std::string(key));
  }
  return value;
}

}  // namespace clubsafe::agent::outbox
