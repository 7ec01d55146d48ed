#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Search terms from the URLs of search engines' result pages (SPEC R3, docs/PHRASES.md), so the
// phrase matcher can look at what a young person searched for.
namespace clubsafe::agent::recording {

enum class SearchEngine : std::uint8_t {
  Google,
  Bing,
  DuckDuckGo,
  YouTube,
  Yahoo,
  Ecosia,
  Brave,
  Startpage
};

// A stable lower-case name for events and logs: "google", "bing", "duckduckgo", ...
[[nodiscard]] std::string_view searchEngineName(SearchEngine engine) noexcept;

struct SearchTerms {
  SearchEngine engine = SearchEngine::Google;
  std::string terms;  // valid UTF-8, spaces collapsed and trimmed, never empty
};

// Terms longer than this many bytes are cut at a character boundary: a search box takes a line,
// and an alert needs no more.
inline constexpr std::size_t kMaxSearchTermsBytes = 512;

// The engine and the terms of a search engine's result-page URL (http or https); nullopt for any
// other URL, a search page without terms, or a malformed URL. Startpage searches are usually sent
// as a form POST, which leaves no terms in the URL; only its GET links are seen.
[[nodiscard]] std::optional<SearchTerms> searchTermsFromUrl(std::string_view url);

// One query-string value decoded: `%XX` escapes, '+' as a space. An escape that is not two hex
// digits is kept as written, invalid UTF-8 becomes U+FFFD, control characters become spaces,
// runs of white space become one space, and the result is trimmed and cut to `maxBytes` at a
// character boundary.
[[nodiscard]] std::string decodeQueryValue(std::string_view value,
                                           std::size_t maxBytes = kMaxSearchTermsBytes);

}  // namespace clubsafe::agent::recording
