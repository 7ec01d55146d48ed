#pragma once

#include "notice/agent_messages.hpp"

#include <cstdint>
#include <string>
#include <string_view>

// The words the notice program shows, for a 10-year-old: kept here, apart from the windows, so
// they are tested and the same everywhere.
namespace clubsafe::notice {

inline constexpr std::string_view kAgentNotAnswering =
    "Monitoring is on, but this laptop's safety service is not answering. Please tell a youth "
    "worker.";
inline constexpr std::string_view kNoPolicyLink =
    "Ask a youth worker to show you the club's online-safety policy.";

// A PIN too short to be one: said before asking the agent, which counts wrong PINs.
[[nodiscard]] std::string shortPinWords();

// "8-12" -> "8 to 12", "18+" -> "18 or older"; anything else as it is.
[[nodiscard]] std::string ageBandWords(std::string_view band);

// 15 -> "15 minutes", 60 -> "1 hour", 90 -> "1 hour 30 minutes".
[[nodiscard]] std::string durationWords(std::int64_t minutes);

// The indicator's line: "Monitoring is on" and who is signed in.
[[nodiscard]] std::string indicatorWords(const SessionState& state);

}  // namespace clubsafe::notice
