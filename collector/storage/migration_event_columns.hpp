#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 25: a heartbeat's agent version and queue depth and a visit's time become columns
// (app, amount, moment), as stored_event.cpp's kMovedFields now keeps them; the events stored
// before are moved alike, and events_as_text gives them back.
[[nodiscard]] Migration heartbeatAndVisitColumns();

}  // namespace clubsafe::collector
