#pragma once

#include "collector/storage/event_query.hpp"
#include "collector/storage/sqlite_database.hpp"

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace clubsafe::collector {

// The explorer's reads of the events table, served by the indexes of migration 13: each filter
// on a person, a laptop, a site, an app or a category reads one index range in time order.
class SqliteEventQuery final : public EventQuery {
 public:
  explicit SqliteEventQuery(SqliteDatabase& database) : database_(database) {}

  EventPage listEvents(const EventFilter& filter, const std::optional<EventCursor>& after,
                       std::size_t limit) override;

 private:
  SqliteDatabase& database_;
};

// The page inside the caller's transaction.
[[nodiscard]] EventPage selectEventPage(Poco::Data::Session& session, const EventFilter& filter,
                                        const std::optional<EventCursor>& after, std::size_t limit);

// How SQLite would read that page (EXPLAIN QUERY PLAN's lines): for the tests and benchmarks
// that check each filter reads its index.
[[nodiscard]] std::vector<std::string> explainEventPage(Poco::Data::Session& session,
                                                        const EventFilter& filter,
                                                        const std::optional<EventCursor>& after);

}  // namespace clubsafe::collector
