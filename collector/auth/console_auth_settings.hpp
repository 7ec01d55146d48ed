#pragma once

#include "collector/auth/console_auth.hpp"
#include "common/settings.hpp"

namespace clubsafe::collector {

// The auth.* settings of the collector's table, with their bounds checked: SettingsError names
// a value out of bounds.
[[nodiscard]] ConsoleAuthSettings readConsoleAuthSettings(const common::Settings& settings);

}  // namespace clubsafe::collector
