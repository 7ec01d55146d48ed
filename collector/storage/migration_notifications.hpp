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

}  // namespace clubsafe::collector
