#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::upload {

// The upload.* settings (agent/assembly/upload_assembly.cpp reads them).
[[nodiscard]] std::span<const common::SettingSpec> uploadSettings();

}  // namespace clubsafe::agent::upload
