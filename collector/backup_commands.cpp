#include "collector/backup_commands.hpp"

#include "collector/storage/database_lock.hpp"
#include "collector/storage/sqlite_backup.hpp"

#include <iostream>

namespace clubsafe::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;     // EX_USAGE from sysexits.h
constexpr int kExitDataErr = 65;   // EX_DATAERR
constexpr int kExitTempFail = 75;  // EX_TEMPFAIL: the collector is running; stop it and retry

std::string megabytes(std::uintmax_t bytes) {
  constexpr double kMegabyte = 1024.0 * 1024.0;
  return std::to_string(static_cast<double>(bytes) / kMegabyte).substr(0, 6) + " MB";
}

}  // namespace

int backupCommand(const std::filesystem::path& database, const std::string& to) {
  if (to.empty()) {
    std::cerr << "backup needs --to FILE, for example --to /var/backups/clubsafe-2026-12-07.db.\n";
    return kExitUsage;
  }
  try {
    const auto copy = backupDatabase(database, to);
    std::cout << "Backed up the collector database (schema version " << copy.schemaVersion << ", "
              << megabytes(copy.bytes) << ") to " << to
              << ". Keep it somewhere safe: it holds everything the console shows.\n";
    return kExitOk;
  } catch (const std::exception& error) {
    std::cerr << "No backup made: " << error.what() << "\n";
    return kExitDataErr;
  }
}

int restoreCommand(const std::filesystem::path& database, const std::string& from) {
  if (from.empty()) {
    std::cerr << "restore needs --from FILE, a file made by clubsafe-collector backup.\n";
    return kExitUsage;
  }
  try {
    const DatabaseLock lock(database);
    const auto copy = restoreDatabase(from, database);
    std::cout << "Restored the collector database from " << from << " (schema version "
              << copy.schemaVersion << ", " << megabytes(copy.bytes) << "). The one it replaced is "
              << database.string() << ".before-restore. Start the collector again "
              << "(systemctl start clubsafe-collector).\n";
    return kExitOk;
  } catch (const DatabaseLockedError& error) {
    std::cerr << "Nothing restored: " << error.what() << "\n";
    return kExitTempFail;
  } catch (const std::exception& error) {
    std::cerr << "Nothing restored: " << error.what() << "\n";
    return kExitDataErr;
  }
}

}  // namespace clubsafe::collector
