#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 20: notifications (notification_store.hpp) — what the DSLs and the managers are
// told by e-mail, raised by a trigger as the events that call for one are stored, and the
// e-mails sent, which the rate limit counts.
[[nodiscard]] Migration notifications();

// Migration 24: the same trigger with its condition as comparisons, which SQLite checks without
// building a table for every event stored.
[[nodiscard]] Migration notificationTriggerByComparisons();

// The trigger of migration 24 for migration 26, where events keep no received_at of their own:
// a notification is raised at its laptop's last_seen, which storeEvents sets to the batch's
// arrival before it inserts the batch's events.
[[nodiscard]] std::string_view raiseOnInsertAtLastSeen();

}  // namespace clubsafe::collector
