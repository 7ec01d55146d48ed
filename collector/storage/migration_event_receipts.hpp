#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 26: a heartbeat's uptime_seconds, the last of its JSON, kept as the time its agent
// started (moment = time - uptime), and the time a batch arrived kept once per batch in
// event_receipts instead of in every event's row; the events stored before are moved alike, and
// events_as_text gives them back as before.
[[nodiscard]] Migration uptimeAndBatchReceipts();

}  // namespace clubsafe::collector
