#pragma once

#include "collector/storage/sqlite_storage.hpp"
#include "common/time.hpp"
#include "tests/unit/collector/temp_directory.hpp"

#include <stdexcept>
#include <string_view>

namespace clubsafe::test {

// A real SQLite database in a fresh temporary directory (in a subdirectory that does not exist
// yet, so every test also checks that opening creates it).
struct TestStorage {
  TempDirectory directory;
  std::filesystem::path file = directory.path() / "state" / "collector.db";
  collector::SqliteStorage storage{file};
};

inline common::Timestamp at(std::string_view text) {
  const auto time = common::parseTimestamp(text);
  if (!time) throw std::invalid_argument("bad test timestamp");
  return *time;
}

}  // namespace clubsafe::test
