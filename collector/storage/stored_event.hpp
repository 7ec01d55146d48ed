#pragma once

#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clubsafe::collector {

// How an event is kept in the events table (migration 13; docs/ARCHITECTURE.md, "How events
// are stored"). The facts the explorer filters on and the review and report read are columns,
// their names kept once in rollup_names; only the rest of the payload stays JSON. A DNS
// decision, the commonest event, keeps no JSON at all. Nothing is lost: restoredPayload gives
// back every field the agent sent.
struct StoredEvent {
  std::string site;  // a domain: a DNS decision's, a block's, a review request's, a visit's host
  std::string app;   // app_usage's application, a heartbeat's agent version
  std::string category;  // a DNS decision's, a block's or a review request's
  std::string action;    // a DNS decision's (blocked, allowed, …) or a session's (login, …)
  // A DNS decision's count, app_usage's seconds, a heartbeat's queue depth.
  std::optional<std::int64_t> amount;
  // A DNS decision's minute, app_usage's start, a visit's time, a heartbeat's agent start (its
  // time less its uptime_seconds).
  std::optional<common::Timestamp> moment;
  std::string payload;       // what is left of the payload as JSON; empty when nothing is
  common::Timestamp time{};  // the event's own, which a heartbeat's uptime is counted back from
};

// The number the events table keeps for a type. Stored numbers never change: a new type gets
// the next number, here and in a migration that adds its event_types row.
[[nodiscard]] int storedTypeCode(common::EventType type);
[[nodiscard]] std::optional<common::EventType> typeOfStoredCode(std::int64_t code);

// The conditions of the events' partial indexes (migration 21). SQLite reads a partial index
// only for a query that carries its condition word for word: the bare term, or for a query
// that names the table `e`, withAlias(term, "e"). The explorer's indexes (time, laptop, member, OS
// account, site, app, category) hold the types it shows; the type index holds all but app time, DNS
// decisions and visits.
inline constexpr std::string_view kExplorerIndexesTerm = "type <> 1 AND type <> 10 AND type <> 16";
inline constexpr std::string_view kTypeIndexTerm = "type <> 3 AND type <> 4 AND type <> 5";

// `term` for a query that names the events table `alias`: "type <> 1" becomes "e.type <> 1".
[[nodiscard]] std::string withAlias(std::string_view term, std::string_view alias);

// The term that lets a query of one type's events in a time range read them by an index: the
// type index's, or for the types it leaves out the time index's.
[[nodiscard]] std::string_view timeOrderTermFor(common::EventType type);

// `event` must have been checked by common::decodeBatch. A field whose value does not fit its
// column (a minute that is not a time) stays in the payload.
[[nodiscard]] StoredEvent toStoredEvent(const common::Event& event);

// The payload as the agent sent it, as compact JSON (its keys in another order).
[[nodiscard]] std::string restoredPayload(common::EventType type, const StoredEvent& stored);

// The host of a URL, lower case, without user, port or trailing dot; empty when it has none.
[[nodiscard]] std::string hostOfUrl(std::string_view url);

}  // namespace clubsafe::collector
