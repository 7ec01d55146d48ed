#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 17: the DSL's alert queue (alert_queue.hpp) — a case per safeguarding alert and
// worry report, those stored before included, opened by a trigger as each is stored, with an
// append-only history — and the access log opened to views of an alert or an incident.
[[nodiscard]] Migration alertCases();

}  // namespace clubsafe::collector
