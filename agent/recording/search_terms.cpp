#include "agent/recording/search_terms.hpp"

#include "agent/dns/safe_search.hpp"
#include "agent/recording/utf8.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace clubsafe::agent::recording {
namespace {

using namespace std::string_view_literals;

struct UrlParts {
  std::string host;  // lower case, no port, no trailing dot
  std::string_view path;
  std::string_view query;
};

bool equalsIgnoringCase(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

// Splits an absolute http(s) URL. Only what telling a search page apart needs is checked; the
// rest is left for the browser that made the URL.
std::optional<UrlParts> splitUrl(std::string_view url) {
  const auto schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) return std::nullopt;
  const auto scheme = url.substr(0, schemeEnd);
  if (!equalsIgnoringCase(scheme, "http") && !equalsIgnoringCase(scheme, "https")) {
    return std::nullopt;
  }
  auto rest = url.substr(schemeEnd + 3);
  const auto authorityEnd = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authorityEnd);
  rest = authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) return std::nullopt;  // an IPv6 literal is no search engine
  authority = authority.substr(0, authority.find(':'));
  if (authority.ends_with('.')) authority.remove_suffix(1);
  if (authority.empty()) return std::nullopt;

  UrlParts parts;
  parts.host.reserve(authority.size());
  for (const char c : authority) {
    parts.host.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  rest = rest.substr(0, rest.find('#'));
  const auto question = rest.find('?');
  if (question != std::string_view::npos) {
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  // Matrix parameters (Yahoo's "/search;_ylt=...") are not part of the page's name.
  parts.path = rest.substr(0, rest.find(';'));
  if (parts.path.empty()) parts.path = "/";
  return parts;
}

// The raw value of the first non-empty parameter `name` in a query string, or nullopt.
std::optional<std::string_view> parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto end = query.find('&');
    const auto pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view{} : query.substr(end + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name) continue;
    if (equals + 1 < pair.size()) return pair.substr(equals + 1);
  }
  return std::nullopt;
}

bool isDomainOrSubdomain(std::string_view host, std::string_view domain) noexcept {
  return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                            host[host.size() - domain.size() - 1] == '.');
}

bool pathIsOneOf(std::string_view path, std::span<const std::string_view> paths) noexcept {
  if (path.size() > 1 && path.ends_with('/')) path.remove_suffix(1);
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

constexpr std::array kSearchPath{"/search"sv};
constexpr std::array kBingPaths{"/search"sv, "/images/search"sv, "/videos/search"sv,
                                "/news/search"sv, "/shop"sv};
constexpr std::array kDuckDuckGoPaths{"/"sv, "/html"sv, "/lite"sv};
constexpr std::array kYouTubePaths{"/results"sv};
constexpr std::array kVerticalPaths{"/search"sv, "/images"sv, "/news"sv, "/videos"sv};
constexpr std::array kStartpagePaths{"/sp/search"sv, "/do/search"sv, "/do/dsearch"sv,
                                     "/do/asearch"sv};
constexpr std::array kQ{"q"sv};
constexpr std::array kYouTubeParameters{"search_query"sv, "q"sv};
constexpr std::array kYahooParameters{"p"sv};
constexpr std::array kStartpageParameters{"query"sv, "q"sv};

// One search engine's result pages: which hosts, which paths, which parameters hold the terms.
struct EngineRule {
  SearchEngine engine;
  bool (*host)(std::string_view) noexcept;
  std::span<const std::string_view> paths;
  std::span<const std::string_view> parameters;
};

constexpr std::array kRules{
    EngineRule{SearchEngine::Google, dns::isGoogleSearchName, kSearchPath, kQ},
    EngineRule{SearchEngine::Bing,
               [](std::string_view h) noexcept { return h == "bing.com" || h == "www.bing.com"; },
               kBingPaths, kQ},
    EngineRule{SearchEngine::DuckDuckGo,
               [](std::string_view h) noexcept { return isDomainOrSubdomain(h, "duckduckgo.com"); },
               kDuckDuckGoPaths, kQ},
    EngineRule{SearchEngine::YouTube,
               [](std::string_view h) noexcept {
                 return h == "youtube.com" || h == "www.youtube.com" || h == "m.youtube.com";
               },
               kYouTubePaths, kYouTubeParameters},
    EngineRule{
        SearchEngine::Yahoo,
        [](std::string_view h) noexcept { return isDomainOrSubdomain(h, "search.yahoo.com"); },
        kSearchPath, kYahooParameters},
    EngineRule{
        SearchEngine::Ecosia,
        [](std::string_view h) noexcept { return h == "ecosia.org" || h == "www.ecosia.org"; },
        kVerticalPaths, kQ},
    EngineRule{SearchEngine::Brave,
               [](std::string_view h) noexcept { return h == "search.brave.com"; }, kVerticalPaths,
               kQ},
    EngineRule{SearchEngine::Startpage,
               [](std::string_view h) noexcept { return isDomainOrSubdomain(h, "startpage.com"); },
               kStartpagePaths, kStartpageParameters},
};

bool isHexDigit(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c) noexcept {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

}  // namespace

std::string_view searchEngineName(SearchEngine engine) noexcept {
  switch (engine) {
    case SearchEngine::Google:
      return "google";
    case SearchEngine::Bing:
      return "bing";
    case SearchEngine::DuckDuckGo:
      return "duckduckgo";
    case SearchEngine::YouTube:
      return "youtube";
    case SearchEngine::Yahoo:
      return "yahoo";
    case SearchEngine::Ecosia:
      return "ecosia";
    case SearchEngine::Brave:
      return "brave";
    case SearchEngine::Startpage:
      return "startpage";
  }
  return "unknown";
}

std::string decodeQueryValue(std::string_view value, std::size_t maxBytes) {
  // Decoding stops a little past the limit: a cut needs to see the character it falls in, and a
  // value of megabytes costs no more than one of a line.
  const auto decodeLimit = maxBytes + 8;
  std::string bytes;
  bytes.reserve(std::min(value.size(), decodeLimit));
  for (std::size_t i = 0; i < value.size() && bytes.size() < decodeLimit; ++i) {
    const char c = value[i];
    if (c == '+') {
      bytes.push_back(' ');
    } else if (c == '%' && i + 2 < value.size() && isHexDigit(value[i + 1]) &&
               isHexDigit(value[i + 2])) {
      bytes.push_back(static_cast<char>(hexValue(value[i + 1]) * 16 + hexValue(value[i + 2])));
      i += 2;
    } else {
      bytes.push_back(c);
    }
  }
  std::string clean;
  clean.reserve(bytes.size());
  appendCleanUtf8(bytes, clean);

  std::string terms;
  terms.reserve(clean.size());
  for (const char c : clean) {
    const bool space = c == ' ' || c == '\t';
    if (space && (terms.empty() || terms.back() == ' ')) continue;
    terms.push_back(c);
  }
  if (!terms.empty() && terms.back() == ' ') terms.pop_back();
  if (terms.size() > maxBytes) {
    terms.resize(utf8BoundaryBefore(terms, maxBytes));
    if (!terms.empty() && terms.back() == ' ') terms.pop_back();
  }
  return terms;
}

std::optional<SearchTerms> searchTermsFromUrl(std::string_view url) {
  const auto parts = splitUrl(url);
  if (!parts) return std::nullopt;
  for (const auto& rule : kRules) {
    if (!rule.host(parts->host) || !pathIsOneOf(parts->path, rule.paths)) continue;
    for (const auto name : rule.parameters) {
      const auto raw = parameter(parts->query, name);
      if (!raw) continue;
      auto terms = decodeQueryValue(*raw);
      if (!terms.empty()) return SearchTerms{rule.engine, std::move(terms)};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace clubsafe::agent::recording
