#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 18: the incident log (incident_store.hpp): incidents, who and what they involve,
// their append-only chronology, checklist ticks and information-sharing decisions, and the
// held_events and held_members views the retention purge skips.
[[nodiscard]] Migration incidentLog();

}  // namespace clubsafe::collector
