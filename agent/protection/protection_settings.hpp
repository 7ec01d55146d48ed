#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::protection {

// What the agent takes over while its DNS filter is the system's resolver: the resolver
// settings and the browsers' managed policies. Listed after the filter's own settings.
[[nodiscard]] std::span<const common::SettingSpec> takeoverSettings();

// The protection.* settings: how often what was taken over is checked, and the lock-down.
[[nodiscard]] std::span<const common::SettingSpec> protectionSettings();

}  // namespace clubsafe::agent::protection
