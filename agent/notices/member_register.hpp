#pragma once

#include "common/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The club's member register on the laptop (issue 14 item 1; the policy's "members"): which
// age band a young person may sign in with, so that nobody loosens their filtering by choosing
// an older band.
namespace clubsafe::agent::notices {

// The band the register gives `name` (a first name or member code, matched by common::memberKey),
// or nullopt when they are not on it.
[[nodiscard]] std::optional<std::string> registeredAgeBand(const common::Policy& policy,
                                                           std::string_view name);

// Whether someone not on the register may choose `band`: one of the default profile's bands, or
// one that starts younger than all of them (a stricter choice is always allowed).
[[nodiscard]] bool choosableWithoutRegister(const common::Policy& policy, std::string_view band);

}  // namespace clubsafe::agent::notices
