#include "agent/dns/safe_search.hpp"

#include <algorithm>
#include <array>

namespace clubsafe::agent::dns {
namespace {

using namespace std::string_view_literals;

constexpr std::array kYouTubeHosts{"www.youtube.com"sv, "m.youtube.com"sv,
                                   "youtubei.googleapis.com"sv, "youtube.googleapis.com"sv,
                                   "www.youtube-nocookie.com"sv};
constexpr std::array kBingHosts{"www.bing.com"sv, "bing.com"sv};
constexpr std::array kDuckDuckGoHosts{"duckduckgo.com"sv, "www.duckduckgo.com"sv};
constexpr std::array kBraveHosts{"search.brave.com"sv};

// Google first, where safeSearchTarget looks for it; its hosts are empty because
// isGoogleSearchName matches them by shape. Ecosia publishes no safe-search host, so it is not
// here (docs/DNS.md).
constexpr std::array kEngines{
    SafeSearchEngine{{}, "forcesafesearch.google.com", "forcesafesearch.google.com"},
    SafeSearchEngine{kYouTubeHosts, "restrict.youtube.com", "restrictmoderate.youtube.com"},
    SafeSearchEngine{kBingHosts, "strict.bing.com", "strict.bing.com"},
    SafeSearchEngine{kDuckDuckGoHosts, "safe.duckduckgo.com", "safe.duckduckgo.com"},
    SafeSearchEngine{kBraveHosts, "forcesafe.search.brave.com", "forcesafe.search.brave.com"},
};

bool isLetters(std::string_view label, std::size_t length) noexcept {
  return label.size() == length &&
         std::all_of(label.begin(), label.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// com, XX, com.XX or co.XX: the forms of Google's country domains (google.de, google.co.uk,
// google.com.au); anything longer or other belongs to someone else.
bool isGoogleSuffix(std::string_view suffix) noexcept {
  if (suffix == "com" || isLetters(suffix, 2)) return true;
  const auto dot = suffix.find('.');
  if (dot == std::string_view::npos) return false;
  const auto first = suffix.substr(0, dot);
  return (first == "com" || first == "co") && isLetters(suffix.substr(dot + 1), 2);
}

}  // namespace

std::span<const SafeSearchEngine> safeSearchEngines() { return kEngines; }

bool isGoogleSearchName(std::string_view name) noexcept {
  if (name.starts_with("www.")) name.remove_prefix(4);
  constexpr auto kGoogle = "google."sv;
  return name.starts_with(kGoogle) && isGoogleSuffix(name.substr(kGoogle.size()));
}

std::string_view safeSearchTarget(std::string_view name, SafeSearchLevel level) noexcept {
  if (level == SafeSearchLevel::Off) return {};
  const auto target = [level](const SafeSearchEngine& engine) {
    return level == SafeSearchLevel::Strict ? engine.strictTarget : engine.moderateTarget;
  };
  if (isGoogleSearchName(name)) return target(kEngines.front());
  for (const auto& engine : kEngines) {
    if (std::find(engine.hosts.begin(), engine.hosts.end(), name) != engine.hosts.end()) {
      return target(engine);
    }
  }
  return {};
}

Verdict SafeSearchFilter::decide(std::string_view normalisedName,
                                 std::uint16_t) const noexcept {
  const auto target = safeSearchTarget(normalisedName, level_);
  return target.empty() ? Verdict::allow() : Verdict::rewrite(target);
}

}  // namespace clubsafe::agent::dns
