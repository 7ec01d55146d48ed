#include "agent/outbox/schema.hpp"

#include <string>

namespace clubsafe::agent::outbox {
namespace {

// 2: the droppable and type columns, for the byte cap. 3: the rejected column, for events the
// collector refused as malformed, set aside instead of sent again.
constexpr int kSchemaVersion = 3;

}  // namespace

bool createOrMigrateSchema(Database& db, int& foundVersion) {
  foundVersion = 0;
  db.prepare("PRAGMA user_version").forEachRow([&](const Statement& row) {
    foundVersion = static_cast<int>(row.integer(0));
  });
  if (foundVersion > kSchemaVersion) return false;
  Transaction transaction(db);
  if (foundVersion == 1) {
    // Events saved before the cap existed stay marked not droppable: they are kept, and leave
    // as soon as the collector is reached.
    db.execute("ALTER TABLE events ADD COLUMN droppable INTEGER NOT NULL DEFAULT 0");
    db.execute("ALTER TABLE events ADD COLUMN type TEXT NOT NULL DEFAULT ''");
  }
  if (foundVersion == 1 || foundVersion == 2) {
    db.execute("ALTER TABLE events ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0");
  }
  db.execute(
      "CREATE TABLE IF NOT EXISTS events ("
      " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      " priority INTEGER NOT NULL,"
      " time_ms INTEGER NOT NULL,"
      " body TEXT NOT NULL,"
      " bytes INTEGER NOT NULL,"
      " droppable INTEGER NOT NULL DEFAULT 0,"
      " type TEXT NOT NULL DEFAULT '',"
      " rejected INTEGER NOT NULL DEFAULT 0)");
  db.execute("CREATE INDEX IF NOT EXISTS events_by_priority ON events (priority DESC, seq)");
  db.execute(
      "CREATE INDEX IF NOT EXISTS events_droppable ON events (priority, seq) WHERE droppable = 1");
  db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  if (foundVersion != kSchemaVersion) {
    // Only when it changes: rewriting the header is a write, and a restart on a full disk
    // should not need one.
    db.execute("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  }
  transaction.commit();
  return true;
}

}  // namespace clubsafe::agent::outbox
