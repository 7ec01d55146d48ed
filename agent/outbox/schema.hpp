#pragma once

#include "agent/outbox/sqlite.hpp"

namespace clubsafe::agent::outbox {

// The outbox file's tables, made when missing and brought up to the current version (older
// files keep their events). Throws SqliteError on failure; returns false, changing nothing,
// when the file was made by a newer agent whose schema this one does not know.
[[nodiscard]] bool createOrMigrateSchema(Database& db, int& foundVersion);

}  // namespace clubsafe::agent::outbox
