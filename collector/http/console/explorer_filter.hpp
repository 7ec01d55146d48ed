#pragma once

#include "collector/storage/event_query.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clubsafe::collector {

// What a request to the usage explorer asks for, from its query string:
//   from, to          UTC times as the API writes them (2024-03-01T18:00:00.000Z; the seconds'
//                     fraction may be left out); from inclusive, to exclusive
//   device, member, account (the OS account), profile, app, site, category, action
//                     exact values; an empty value is no filter
//   type              an event type's wire name (heartbeat, dns_decision, …)
//   cursor            where the page starts, as the previous page gave it
//   limit             events per page, 1 to 1000 (default 100)
// The dashboard links to the explorer with these same names after "#/explorer?".
struct ExplorerQuery {
  static constexpr std::size_t kDefaultLimit = 100;

  EventFilter filter;
  std::optional<EventCursor> after;
  std::size_t limit = kDefaultLimit;
};

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// Throws ApiError 400 with a message naming the parameter that is wrong (unknown, repeated,
// too long or not of its form).
[[nodiscard]] ExplorerQuery parseExplorerQuery(const QueryParameters& parameters);

// The filter as a query string with the names above, in a fixed order, values URL-encoded: for
// the access log and for links.
[[nodiscard]] std::string filterQueryString(const EventFilter& filter);

// The events around `event`: the same person (the member, or the OS account when no member was
// signed in) on the same laptop an hour either side.
[[nodiscard]] EventFilter contextOf(const ExploredEvent& event);

// Whether looking through `filter` singles out a person, whatever rows it finds.
[[nodiscard]] bool filterNamesPerson(const EventFilter& filter);
[[nodiscard]] bool eventNamesPerson(const ExploredEvent& event);

// A cursor as opaque text for a URL, and back; nullopt for text that is not one.
[[nodiscard]] std::string encodeCursor(const EventCursor& cursor);
[[nodiscard]] std::optional<EventCursor> decodeCursor(std::string_view text);

}  // namespace clubsafe::collector
