#pragma once

#include "agent/recording/phrase_matcher.hpp"
#include "common/event.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::recording {

// A text the phrase matcher looks at, and where it came from: the alert's source field
// ("search_term", "page_title", "page_url", "window_title").
struct AlertText {
  std::string_view source;
  std::string_view text;
};

// The safeguarding_alert events (SPEC R5) for phrases found in `texts`, looked at in order: one
// per (category, phrase), from the first text it is found in, so a search seen in both the
// terms and the URL is one alert. The context is the matcher's bounded surrounding text.
[[nodiscard]] std::vector<common::Event> safeguardingAlerts(const PhraseMatcher& matcher,
                                                            std::span<const AlertText> texts,
                                                            common::Timestamp time,
                                                            const std::string& osUser);

}  // namespace clubsafe::agent::recording
