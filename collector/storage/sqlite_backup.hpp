#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace clubsafe::collector {

// A backup or restore that could not be done; the message says why in a volunteer's words, and
// nothing was changed.
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DatabaseCopy {
  int schemaVersion = 0;  // the highest migration the copy records
  std::uintmax_t bytes = 0;
};

// Copies the collector's database to `to` with SQLite's online backup API, in one read
// transaction: the copy is one committed state, every batch in it whole, while a running
// collector goes on storing batches. `to` must not exist yet; the copy is written beside it and
// renamed once checked (integrity, a clubsafe schema), so a file named `to` is always complete.
DatabaseCopy backupDatabase(const std::filesystem::path& database, const std::filesystem::path& to);

// Replaces the collector's database with the backup in `from`, once a copy of it passed the same
// checks and records no migration this collector does not know (an older one is brought up to
// date when the collector next starts). The collector must not be running (CollectorLock). The
// database replaced is kept beside it as <name>.before-restore; the new file gets its owner.
DatabaseCopy restoreDatabase(const std::filesystem::path& from,
                             const std::filesystem::path& database);

}  // namespace clubsafe::collector
