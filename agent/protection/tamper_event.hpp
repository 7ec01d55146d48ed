#pragma once

#include "common/event.hpp"

#include <string>

namespace clubsafe::agent::protection {

// A tamper event (R7) of `kind` (such as "resolver_changed"), stamped now, with a sentence
// saying what was found and what the agent did.
[[nodiscard]] common::Event tamperEvent(const std::string& kind, const std::string& detail);

}  // namespace clubsafe::agent::protection
