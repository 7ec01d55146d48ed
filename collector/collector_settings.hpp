#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::collector {

// Every setting of clubsafe-collector, with its default (see --help-settings).
[[nodiscard]] std::span<const common::SettingSpec> collectorSettings();

}  // namespace clubsafe::collector
