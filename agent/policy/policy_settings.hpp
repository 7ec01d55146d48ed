#pragma once

#include "common/settings.hpp"

#include <span>

namespace clubsafe::agent::policy {

// What the DNS filter enforces: the collector's policy, the built-in profile until it arrives
// (filter.*) and the self-test that checks it (selftest.*).
[[nodiscard]] std::span<const common::SettingSpec> policySettings();

}  // namespace clubsafe::agent::policy
