#pragma once

#include "agent/history/history_database.hpp"
#include "agent/outbox/sqlite.hpp"

#include <optional>
#include <string>

namespace clubsafe::agent::history {

// The history state file inside the agent's state directory.
[[nodiscard]] std::string historyStatePath(const std::string& stateDir);

// Where reading stopped per profile, kept in a small SQLite file so a restarted agent goes on
// from there. Throws outbox::SqliteError when the file cannot be opened or written.
class HistoryState {
 public:
  explicit HistoryState(const std::string& path);

  [[nodiscard]] std::optional<Cursor> cursor(const std::string& profile);
  void save(const std::string& profile, const Cursor& cursor);

 private:
  outbox::Database db_;
};

}  // namespace clubsafe::agent::history
