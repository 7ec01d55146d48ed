#include "agent/history/visit_events.hpp"

#include "agent/recording/alert_events.hpp"
#include "agent/recording/search_terms.hpp"
#include "agent/recording/utf8.hpp"
#include "common/time.hpp"

#include <array>
#include <chrono>

namespace clubsafe::agent::history {
namespace {

std::string cleanText(std::string_view text, std::size_t maxBytes) {
  if (text.size() > maxBytes) text = text.substr(0, recording::utf8BoundaryBefore(text, maxBytes));
  std::string clean;
  recording::appendCleanUtf8(text, clean);
  return clean;
}

struct Search {
  std::string engine;
  std::string terms;
};

std::optional<Search> searchOf(const Visit& visit) {
  if (auto found = recording::searchTermsFromUrl(visit.url)) {
    return Search{std::string(recording::searchEngineName(found->engine)), std::move(found->terms)};
  }
  if (visit.searchTerms.empty()) return std::nullopt;
  // An engine the agent does not know by name: its host tells which one it was.
  auto engine = domainOnly(visit.url);
  if (const auto scheme = engine.find("://"); scheme != std::string::npos) {
    engine = engine.substr(scheme + 3);
  }
  if (!engine.empty() && engine.back() == '/') engine.pop_back();
  auto terms = cleanText(visit.searchTerms, recording::kMaxSearchTermsBytes);
  if (terms.empty()) return std::nullopt;
  return Search{std::move(engine), std::move(terms)};
}

}  // namespace

std::optional<HistoryDetail> parseHistoryDetail(std::string_view text) {
  if (text == "domain") return HistoryDetail::Domain;
  if (text == "url") return HistoryDetail::Url;
  if (text == "url_and_title") return HistoryDetail::UrlAndTitle;
  return std::nullopt;
}

std::string domainOnly(std::string_view url) {
  const auto schemeEnd = url.find(':');
  if (schemeEnd == std::string_view::npos) return {};
  if (url.substr(schemeEnd, 3) != "://")
    return cleanText(url.substr(0, schemeEnd + 1), kMaxUrlBytes);
  auto authority = url.substr(schemeEnd + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string result(url.substr(0, schemeEnd + 3));
  result += authority;
  result += '/';
  return cleanText(result, kMaxUrlBytes);
}

void appendVisitEvents(const Visit& visit, const VisitOrigin& origin,
                       const recording::PhraseMatcher& matcher,
                       std::vector<common::Event>& events) {
  const common::Timestamp time{std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::microseconds(visit.micros))};
  const auto visited = common::formatTimestamp(time);

  common::Event page;
  page.type = common::EventType::BrowserVisit;
  page.time = time;
  page.osUser = origin.osUser;
  page.payload->set("browser", std::string(platform::browserName(origin.browser)));
  page.payload->set("url", origin.detail == HistoryDetail::Domain
                               ? domainOnly(visit.url)
                               : cleanText(visit.url, kMaxUrlBytes));
  if (origin.detail == HistoryDetail::UrlAndTitle && !visit.title.empty()) {
    page.payload->set("title", cleanText(visit.title, kMaxTitleBytes));
  }
  page.payload->set("visited", visited);
  events.push_back(std::move(page));

  const auto search = searchOf(visit);
  if (search && origin.detail != HistoryDetail::Domain) {
    common::Event searched;
    searched.type = common::EventType::SearchTerm;
    searched.time = time;
    searched.osUser = origin.osUser;
    searched.payload->set("engine", search->engine);
    searched.payload->set("terms", search->terms);
    searched.payload->set("searched", visited);
    events.push_back(std::move(searched));
  }

  const std::array<recording::AlertText, 3> texts{{
      {"search_term", search ? std::string_view(search->terms) : std::string_view()},
      {"page_title", visit.title},
      {"page_url", visit.url},
  }};
  for (auto& alert : recording::safeguardingAlerts(matcher, texts, time, origin.osUser)) {
    events.push_back(std::move(alert));
  }
}

}  // namespace clubsafe::agent::history
