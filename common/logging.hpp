#pragma once

#include "common/settings.hpp"

#include <string>

namespace clubsafe::common {

// Sends spdlog's default logger to standard output (the journal under systemd) and, when
// log.file is set, to a size-rotated file. Throws SettingsError for an unknown level.
void setupLogging(const std::string& programName, const Settings& settings);

}  // namespace clubsafe::common
