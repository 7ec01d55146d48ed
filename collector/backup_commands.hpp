#pragma once

#include <filesystem>
#include <string>

namespace clubsafe::collector {

// `clubsafe-collector backup --to FILE`: copies the database while the collector may be running,
// says what it wrote, and returns the exit status (0, or 65 with the reason on standard error).
int backupCommand(const std::filesystem::path& database, const std::string& to);

// `clubsafe-collector restore --from FILE`: refused while a collector runs on the database
// (exit 75) or when the file is not a backup this collector can use (exit 65).
int restoreCommand(const std::filesystem::path& database, const std::string& from);

}  // namespace clubsafe::collector
