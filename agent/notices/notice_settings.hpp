#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::notices {

// The notice socket (notices.*) and the block page (blockpage.*).
[[nodiscard]] std::span<const common::SettingSpec> noticeSettings();

}  // namespace clubsafe::agent::notices
