#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent {

// The agent's settings: each module's table, beside its code, joined in one list from which
// defaults, validation and --help-settings come.
[[nodiscard]] std::span<const common::SettingSpec> agentSettings();

}  // namespace clubsafe::agent
