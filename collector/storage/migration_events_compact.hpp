#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 13: the events table rebuilt compactly (stored_event.hpp), the events stored
// before it copied over, and migration 7's dns_minutes table replaced by a view of the events.
[[nodiscard]] Migration eventsStoredCompactly();

// Migration 13's dns_minutes view of events_as_text, for a migration that has to drop and
// create events_as_text again.
[[nodiscard]] std::string_view dnsMinutesView();

}  // namespace clubsafe::collector
