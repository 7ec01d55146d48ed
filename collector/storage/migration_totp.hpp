#pragma once

#include "collector/storage/migrations.hpp"

namespace clubsafe::collector {

// Migration 19: two-step sign-in's tables, console_totp (a user's authenticator key) and
// console_recovery_codes (hashes of their one-time recovery codes).
[[nodiscard]] Migration twoStepSignIn();

}  // namespace clubsafe::collector
