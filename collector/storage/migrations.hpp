#pragma once

#include "common/event.hpp"

#include <Poco/Data/Session.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

struct Migration {
  int version = 0;
  std::string_view description;
  std::vector<std::string_view> statements;
};

// The collector's schema in SQLite's dialect, oldest first. A migration that has shipped is
// never edited: a change is a new migration. A PostgreSQL backend gets a list of its own with
// the same version numbers, so one database can be told from the other only by its engine.
[[nodiscard]] const std::vector<Migration>& sqliteMigrations();

// Applies, in order and each inside its own transaction, the migrations the database has not
// recorded in schema_migrations yet, and returns how many it applied. Refuses (throws) a
// database that records a version missing from `migrations`: a newer collector wrote it, and
// running older code against it could damage it.
std::size_t applyMigrations(Poco::Data::Session& session, std::span<const Migration> migrations,
                            common::Timestamp now);

}  // namespace clubsafe::collector
