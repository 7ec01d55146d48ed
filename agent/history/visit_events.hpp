#pragma once

#include "agent/history/history_database.hpp"
#include "agent/platform/browser_profiles.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "common/event.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::history {

// How much of a visit is recorded (setting history.detail; docs/ARCHITECTURE.md says why the
// default is Url). Phrase alerts look at the whole URL and title whatever this says.
enum class HistoryDetail {
  Domain,       // scheme and host only; no search_term events
  Url,          // the full URL, no title
  UrlAndTitle,  // the full URL and the page title
};

// "domain", "url", "url_and_title"; nullopt for anything else.
[[nodiscard]] std::optional<HistoryDetail> parseHistoryDetail(std::string_view text);

// Longer URLs and titles are cut (at a character boundary) in browser_visit events.
inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxTitleBytes = 512;

// "https://www.example.org/" for any URL of that host: the scheme and host (with a port, without
// a user name or password). A URL with no "scheme://" gives its scheme and ':' alone ("about:").
[[nodiscard]] std::string domainOnly(std::string_view url);

struct VisitOrigin {
  platform::Browser browser = platform::Browser::Firefox;
  std::string osUser;
  HistoryDetail detail = HistoryDetail::Url;
};

// The events of one visit, appended to `events`: a browser_visit; a search_term when the URL is a
// search engine's result page (or the browser recorded terms for it) and the detail allows URLs;
// and safeguarding_alert events for phrases in the search terms, title and URL.
void appendVisitEvents(const Visit& visit, const VisitOrigin& origin,
                       const recording::PhraseMatcher& matcher, std::vector<common::Event>& events);

}  // namespace clubsafe::agent::history
