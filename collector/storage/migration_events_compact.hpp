#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 13: the events table rebuilt compactly (stored_event.hpp), the events stored
// before it copied over, and migration 7's dns_minutes table replaced by a view of the events.
[[nodiscard]] Migration eventsStoredCompactly();

}  // namespace clubsafe::collector
