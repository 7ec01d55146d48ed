#pragma once

#include "collector/storage/sqlite_stores.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <stdexcept>
#include <string_view>

namespace clubsafe::testing {

// Every store over a real SQLite database in a fresh temporary directory (in a subdirectory
// that does not exist yet, so every test also checks that opening creates it).
struct TestStorage {
  TempDir directory;
  std::filesystem::path file = directory.path() / "state" / "collector.db";
  collector::SqliteStores sqlite{file};
  const collector::Stores& stores = sqlite.stores();
};

inline common::Timestamp at(std::string_view text) {
  const auto time = common::parseTimestamp(text);
  if (!time) throw std::invalid_argument("bad test timestamp");
  return *time;
}

}  // namespace clubsafe::testing
