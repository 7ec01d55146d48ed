#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

// One-time recovery codes: what lets someone sign in when their phone is lost. Each is 80
// random bits written as four groups of four letters and digits ("k7qp-2mzx-..."), so a plain
// SHA-256 of it is safe to store: there is nothing to guess from it in a lifetime.
inline constexpr std::size_t kRecoveryCodeCount = 10;

// kRecoveryCodeCount new codes, as shown to the user.
[[nodiscard]] std::vector<std::string> newRecoveryCodes();

// The stored form of a code as the user typed it: case, spaces and dashes do not matter.
[[nodiscard]] std::string recoveryCodeHash(std::string_view typed);

}  // namespace clubsafe::collector
