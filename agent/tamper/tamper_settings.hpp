#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::tamper {

// The tamper.* settings: the tamper checks of tamper_watch.hpp.
[[nodiscard]] std::span<const common::SettingSpec> tamperSettings();

}  // namespace clubsafe::agent::tamper
