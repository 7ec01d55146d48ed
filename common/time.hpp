#pragma once

#include "common/event.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace clubsafe::common {

[[nodiscard]] Timestamp nowUtc();

// "2026-11-24T19:57:10.123Z": always UTC, always milliseconds.
[[nodiscard]] std::string formatTimestamp(Timestamp time);

// Accepts exactly the format formatTimestamp writes (seconds may omit the fraction);
// nullopt for anything else, including impossible dates.
[[nodiscard]] std::optional<Timestamp> parseTimestamp(std::string_view text);

}  // namespace clubsafe::common
