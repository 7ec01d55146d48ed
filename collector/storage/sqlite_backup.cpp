#include "collector/storage/sqlite_backup.hpp"

#include "collector/storage/migrations.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace clubsafe::collector {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMilliseconds = 5000;
// A copy meets SQLITE_BUSY only while a writer recovers or checkpoints the source; it waits.
constexpr int kCopyAttempts = 200;
constexpr auto kCopyRetryPause = std::chrono::milliseconds(50);

// One SQLite connection, closed when it goes.
class Connection {
 public:
  Connection(const fs::path& file, int flags) : file_(file) {
    const int result = sqlite3_open_v2(file.c_str(), &handle_, flags, nullptr);
    if (result != SQLITE_OK) fail("could not be opened", result);
    sqlite3_busy_timeout(handle_, kBusyTimeoutMilliseconds);
  }
  ~Connection() { sqlite3_close_v2(handle_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] sqlite3* handle() const { return handle_; }

  // The first column of every row `sql` returns, as text.
  std::vector<std::string> column(const std::string& sql) const {
    sqlite3_stmt* statement = nullptr;
    int result = sqlite3_prepare_v2(handle_, sql.c_str(), -1, &statement, nullptr);
    std::vector<std::string> values;
    while (result == SQLITE_OK || result == SQLITE_ROW) {
      result = sqlite3_step(statement);
      if (result != SQLITE_ROW) break;
      const auto* text = sqlite3_column_text(statement, 0);
      values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(statement);
    if (result != SQLITE_DONE) fail("could not be read", result);
    return values;
  }

  [[noreturn]] void fail(const std::string& what, int result) const {
    // The backup API records some failures on the other connection: then only the code tells.
    const bool ownError = handle_ != nullptr && sqlite3_errcode(handle_) == result;
    const std::string reason = ownError ? sqlite3_errmsg(handle_) : sqlite3_errstr(result);
    throw BackupError(file_.string() + " " + what + ": " + reason + ".");
  }

 private:
  fs::path file_;
  sqlite3* handle_ = nullptr;
};

// Copies every page in one step, so the copy is one read transaction of `source`: one committed
// state, whatever the collector commits meanwhile.
void copyPages(const Connection& source, const Connection& destination) {
  sqlite3_backup* backup =
      sqlite3_backup_init(destination.handle(), "main", source.handle(), "main");
  if (backup == nullptr) destination.fail("could not be written", SQLITE_ERROR);
  int result = SQLITE_BUSY;
  for (int attempt = 0; attempt < kCopyAttempts; ++attempt) {
    result = sqlite3_backup_step(backup, -1);
    if (result != SQLITE_BUSY && result != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(kCopyRetryPause);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (result != SQLITE_DONE) source.fail("could not be copied", result);
  if (finished != SQLITE_OK) destination.fail("could not be written", finished);
}

// Checks that `copy` is whole and a clubsafe collector database this collector can run, and
// returns its schema version.
int checkCopy(const Connection& copy, const fs::path& named) {
  const auto integrity = copy.column("PRAGMA integrity_check");
  if (integrity.empty() || integrity.front() != "ok") {
    throw BackupError(named.string() + " is damaged (SQLite's integrity check: " +
                      (integrity.empty() ? std::string("no answer") : integrity.front()) + ").");
  }
  if (copy.column("SELECT name FROM sqlite_master WHERE type = 'table' AND name = "
                  "'schema_migrations'")
          .empty()) {
    throw BackupError(named.string() + " is not a clubsafe collector database.");
  }
  int highest = 0;
  const auto& known = sqliteMigrations();
  for (const auto& text : copy.column("SELECT version FROM schema_migrations")) {
    const int version = std::stoi(text);
    highest = std::max(highest, version);
    if (std::none_of(known.begin(), known.end(), [version](const Migration& migration) {
          return migration.version == version;
        })) {
      throw BackupError(named.string() + " has schema version " + text +
                        ", which this collector does not know: a newer clubsafe-collector wrote "
                        "it. Install that version to restore it.");
    }
  }
  if (highest == 0) throw BackupError(named.string() + " is not a clubsafe collector database.");
  return highest;
}

void removeIfThere(const fs::path& file) {
  std::error_code ignored;
  fs::remove(file, ignored);
}

// `file` with `suffix` added to its name (not replacing its extension).
fs::path withSuffix(const fs::path& file, const std::string& suffix) {
  return fs::path(file.string() + suffix);
}

// Makes `file` (and the write-ahead log SQLite may leave beside it) the database's old name's.
void renameWithLog(const fs::path& from, const fs::path& to) {
  removeIfThere(withSuffix(to, "-wal"));
  if (fs::exists(withSuffix(from, "-wal")))
    fs::rename(withSuffix(from, "-wal"), withSuffix(to, "-wal"));
  removeIfThere(withSuffix(from, "-shm"));
  fs::rename(from, to);
}

}  // namespace

DatabaseCopy backupDatabase(const fs::path& database, const fs::path& to) {
  if (!fs::is_regular_file(database)) {
    throw BackupError("There is no collector database at " + database.string() +
                      " (check collector.state_dir or database.path).");
  }
  if (fs::exists(to))
    throw BackupError(to.string() + " already exists; give the backup a new name.");
  const auto partial = withSuffix(to, ".partial");
  removeIfThere(partial);
  DatabaseCopy copy;
  try {
    const Connection source(database, SQLITE_OPEN_READONLY);
    const Connection destination(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copyPages(source, destination);
    // One self-contained file: readable where no write-ahead log can be made beside it.
    (void)destination.column("PRAGMA journal_mode = DELETE");
    copy.schemaVersion = checkCopy(destination, database);
  } catch (...) {
    removeIfThere(partial);
    throw;
  }
  ::chmod(partial.c_str(), 0600);  // it holds everything the collector keeps
  fs::rename(partial, to);
  copy.bytes = fs::file_size(to);
  return copy;
}

DatabaseCopy restoreDatabase(const fs::path& from, const fs::path& database) {
  if (!fs::is_regular_file(from))
    throw BackupError("There is no backup file " + from.string() + ".");
  const auto incoming = withSuffix(database, ".restoring");
  removeIfThere(incoming);
  DatabaseCopy copy;
  try {
    const Connection source(from, SQLITE_OPEN_READONLY);
    const Connection destination(incoming, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copyPages(source, destination);
    copy.schemaVersion = checkCopy(destination, from);
  } catch (...) {
    removeIfThere(incoming);
    throw;
  }
  ::chmod(incoming.c_str(), 0600);
  // Root restores for the collector's own user: the file goes to whoever owns the database (or,
  // before there is one, its folder).
  struct stat owner {};
  const auto ownerOf = fs::exists(database) ? database : database.parent_path();
  if (::stat(ownerOf.c_str(), &owner) == 0 &&
      ::chown(incoming.c_str(), owner.st_uid, owner.st_gid) != 0) {
    removeIfThere(incoming);
    throw BackupError("The restored database could not be given the owner of " + database.string() +
                      ".");
  }
  if (fs::exists(database)) renameWithLog(database, withSuffix(database, ".before-restore"));
  fs::rename(incoming, database);
  copy.bytes = fs::file_size(database);
  return copy;
}

}  // namespace clubsafe::collector
