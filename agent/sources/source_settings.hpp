#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::sources {

// The settings of the recording sources: heartbeats, apps, sessions, browser history and the
// stuck-source check.
[[nodiscard]] std::span<const common::SettingSpec> sourceSettings();

}  // namespace clubsafe::agent::sources
