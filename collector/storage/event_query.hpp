#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// Which raw events the usage explorer (SPEC C6) shows. Every field left empty matches all;
// the fields set must all match.
struct EventFilter {
  std::optional<Timestamp> from = {};  // events at or after
  std::optional<Timestamp> to = {};    // events before
  std::string deviceId = {};
  std::string member = {};
  std::string osUser = {};
  std::string profile = {};
  std::string app = {};       // app_usage's application
  std::string site = {};      // a domain exactly: DNS decisions, block notices, review requests and
                              // the host of a browser visit's URL
  std::string category = {};  // as the event names it (UT1 ids)
  std::string action = {};  // a DNS decision's (blocked, allowed, …) or a session's (login, …)
  std::optional<common::EventType> type = {};

  friend bool operator==(const EventFilter&, const EventFilter&) = default;
};

// Where a page of events ends: the explorer lists newest first by (time, device, sequence),
// which is unique, so the page after a cursor is the same however many newer events arrive.
struct EventCursor {
  Timestamp time{};
  std::string deviceId;
  std::int64_t sequence = 0;

  friend bool operator==(const EventCursor&, const EventCursor&) = default;
};

// One raw event as the explorer shows it: its columns, its payload as stored (JSON text) and
// the payload fields the filters and the CSV name, "" where the event has none.
struct ExploredEvent {
  std::string deviceId;
  std::string deviceName;
  std::int64_t sequence = 0;
  Timestamp time{};
  std::string type;
  std::string osUser;
  std::string member;
  std::string profile;
  std::string app;
  std::string site;
  std::string category;
  std::string action;
  std::string title;
  std::string url;
  std::string searchTerms;
  std::string payload;

  [[nodiscard]] EventCursor cursor() const { return {time, deviceId, sequence}; }
};

struct EventPage {
  std::vector<ExploredEvent> events;
  // Where the next page starts; none when this page holds the last matching event.
  std::optional<EventCursor> next;
};

// The types the explorer never shows: safeguarding alerts and worry reports are for the
// designated safeguarding lead alone (SPEC C8), not for the usage audit; heartbeats, one a
// minute from every laptop, say only that it was reporting, which the dashboard's coverage
// shows (its last contact and the hours it reported in), so the explorer's indexes leave them
// out (kExplorerIndexesTerm lists these types' stored numbers).
[[nodiscard]] constexpr bool shownInExplorer(common::EventType type) {
  return type != common::EventType::SafeguardingAlert && type != common::EventType::WorryReport &&
         type != common::EventType::Heartbeat;
}

// Raw events for the usage explorer, read in pages. Implementations are safe to call from many
// threads.
class EventQuery {
 public:
  static constexpr std::size_t kMostPerPage = 1000;

  virtual ~EventQuery() = default;

  // Up to `limit` (at most kMostPerPage) events matching `filter`, newest first, starting after
  // `after` (from the newest when none).
  virtual EventPage listEvents(const EventFilter& filter, const std::optional<EventCursor>& after,
                               std::size_t limit) = 0;
};

}  // namespace clubsafe::collector
