#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::outbox {

// The outbox.* settings.
[[nodiscard]] std::span<const common::SettingSpec> outboxSettings();

}  // namespace clubsafe::agent::outbox
