#include "agent/history/history_state.hpp"

#include <filesystem>

namespace clubsafe::agent::history {

std::string historyStatePath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "history.db").string();
}

HistoryState::HistoryState(const std::string& path)
    : db_(path, outbox::Database::Mode::ReadWriteCreate) {
  db_.execute("PRAGMA journal_mode = WAL");
  db_.execute("PRAGMA synchronous = FULL");
  db_.execute(
      "CREATE TABLE IF NOT EXISTS cursors ("
      "profile TEXT PRIMARY KEY, last_visit_id INTEGER NOT NULL, "
      "last_visit_micros INTEGER NOT NULL)");
}

std::optional<Cursor> HistoryState::cursor(const std::string& profile) {
  auto statement =
      db_.prepare("SELECT last_visit_id, last_visit_micros FROM cursors WHERE profile = ?1");
  statement.bind(1, profile);
  std::optional<Cursor> found;
  statement.forEachRow([&](const outbox::Statement& row) {
    found = Cursor{row.integer(0), row.integer(1)};
  });
  return found;
}

void HistoryState::save(const std::string& profile, const Cursor& cursor) {
  auto statement = db_.prepare(
      "INSERT INTO cursors (profile, last_visit_id, last_visit_micros) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (profile) DO UPDATE SET last_visit_id = excluded.last_visit_id, "
      "last_visit_micros = excluded.last_visit_micros");
  statement.bind(1, profile).bind(2, cursor.lastVisitId).bind(3, cursor.lastVisitMicros).run();
}

}  // namespace clubsafe::agent::history
