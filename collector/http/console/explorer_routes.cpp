#include "collector/http/console/explorer_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/event_csv.hpp"
#include "collector/http/console/event_json.hpp"
#include "collector/http/console/explorer_filter.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <spdlog/spdlog.h>

namespace clubsafe::collector {
namespace {

ExplorerQuery readQuery(const Request& request) {
  QueryParameters parameters;
  try {
    parameters = Poco::URI(request.http.getURI()).getQueryParameters();
  } catch (const Poco::Exception&) {
    throw ApiError(400, "The explorer's filter is not a readable query string.");
  }
  return parseExplorerQuery(parameters);
}

bool pageNamesPerson(const EventFilter& filter, const EventPage& page) {
  if (filterNamesPerson(filter)) return true;
  for (const auto& event : page.events) {
    if (eventNamesPerson(event)) return true;
  }
  return false;
}

}  // namespace

void ExplorerRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "events",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &ExplorerRoutes::page)});
  routes.add({.method = "GET",
              .path = "events.csv",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &ExplorerRoutes::csv)});
}

void ExplorerRoutes::page(Request& request, const AuthenticatedSession& session) {
  const auto query = readQuery(request);
  const auto now = common::nowUtc();
  const auto page = events_.listEvents(query.filter, query.after, query.limit);
  if (pageNamesPerson(query.filter, page)) {
    accessLog_.recordAccess({.time = now,
                             .viewer = session.user.username,
                             .kind = AccessKind::View,
                             .filter = filterQueryString(query.filter),
                             .rows = static_cast<std::int64_t>(page.events.size())});
  }

  Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
  for (const auto& event : page.events) events->add(eventJson(event));
  Poco::JSON::Object answer;
  answer.set("events", events);
  answer.set("next",
             page.next ? Poco::Dynamic::Var(encodeCursor(*page.next)) : Poco::Dynamic::Var());
  answer.set("filter", filterQueryString(query.filter));
  // The moment of this answer: the page asks for the CSV up to it, so the export holds what was
  // shown and not what arrived since.
  answer.set("now", common::formatTimestamp(now));
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, answer);
}

void ExplorerRoutes::csv(Request& request, const AuthenticatedSession& session) {
  const auto query = readQuery(request);
  const auto now = common::nowUtc();
  auto finished = [log = &accessLog_, viewer = session.user.username, now,
                   filter = filterQueryString(query.filter)](const CsvExportOutcome& outcome) {
    if (!outcome.namesPerson) return;
    try {
      log->recordAccess({.time = now,
                         .viewer = viewer,
                         .kind = AccessKind::Export,
                         .filter = filter,
                         .rows = outcome.rows});
    } catch (const std::exception& error) {
      spdlog::error("An export of events could not be written to the access log: {}", error.what());
    }
  };
  auto& response = request.response;
  response.setContentType("text/csv; charset=utf-8");
  response.set("Content-Disposition", "attachment; filename=\"clubsafe-events.csv\"");
  response.set("Cache-Control", "no-store");
  response.sendChunkedStream(
      std::make_unique<EventCsvStream>(events_, query.filter, std::move(finished)));
}

}  // namespace clubsafe::collector
