#include "collector/storage/sqlite_event_store.hpp"

#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_rollups.hpp"
#include "collector/storage/sqlite_statement.hpp"
#include "collector/storage/stored_event.hpp"

#include <Poco/Tuple.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Data::Session;

// The age of the batch's oldest event on arrival; null for an empty batch, which says nothing
// about lag, so the device keeps the value it had.
Poco::Nullable<Int64> queueLagSeconds(const common::Batch& batch, Timestamp now) {
  if (batch.events.empty()) return {};
  const auto oldest = std::ranges::min(batch.events, {}, &common::Event::time).time;
  return std::max<Int64>(0, std::chrono::duration_cast<std::chrono::seconds>(now - oldest).count());
}

// The last name a column took in a batch, and its number: most events repeat the account,
// member, profile and action of the one before, and comparing the name costs less than hashing
// it again for NameIds.
struct LastName {
  std::string name;
  std::optional<std::int64_t> id;
};

// A column's number for the name; none (NULL) for an empty name.
std::optional<std::int64_t> idOrNone(Session& session, NameIds& names, LastName& last,
                                     const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (!last.id || name != last.name) {
    last.id = names.idOf(session, name);
    last.name = name;
  }
  return last.id;
}

// An event a batch added, and how it is kept.
struct AddedEvent {
  const common::Event* event;
  StoredEvent stored;
};

// Inserts the batch's events, skipping those stored before, and returns the ones it added.
std::vector<AddedEvent> insertNewEvents(Session& session, NameIds& names,
                                        const common::Batch& batch) {
  PreparedStatement insert(
      session,
      "INSERT INTO events (device, seq, time, type, os_user, member, profile, site, app, "
      "category, action, amount, moment, payload) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device, seq) DO NOTHING");
  insert.bind(1, names.idOf(session, batch.header.deviceId));
  std::array<LastName, 7> lastNames;  // of parameters 5 to 11
  std::vector<AddedEvent> added;
  added.reserve(batch.events.size());
  for (const auto& event : batch.events) {
    auto stored = toStoredEvent(event);
    insert.bind(2, event.sequence);
    insert.bind(3, storedMilliseconds(event.time));
    insert.bind(4, storedTypeCode(event.type));
    const std::array<const std::string*, 7> named{&event.osUser, &event.member, &event.profile,
                                                  &stored.site,  &stored.app,   &stored.category,
                                                  &stored.action};
    for (std::size_t i = 0; i < named.size(); ++i) {
      insert.bind(static_cast<int>(i) + 5, idOrNone(session, names, lastNames.at(i), *named.at(i)));
    }
    insert.bind(12, stored.amount);
    insert.bind(13,
                stored.moment ? std::optional(storedMilliseconds(*stored.moment)) : std::nullopt);
    if (stored.payload.empty()) {
      insert.bindNull(14);
    } else {
      insert.bind(14, stored.payload);
    }
    if (insert.run() == 1) added.push_back({&event, std::move(stored)});
  }
  return added;
}

// Keeps when the batch arrived (migration 26): a row per run of consecutive sequence numbers
// it added, so one row for a batch as laptops send them, instead of the time in every event.
void writeReceipts(Session& session, std::int64_t device, const std::vector<AddedEvent>& added,
                   Int64 receivedAt) {
  std::vector<std::int64_t> sequences;
  sequences.reserve(added.size());
  for (const auto& each : added) sequences.push_back(each.event->sequence);
  std::ranges::sort(sequences);
  PreparedStatement insert(session,
                           "INSERT OR REPLACE INTO event_receipts (device, first_seq, last_seq, "
                           "received_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, device);
  insert.bind(4, receivedAt);
  for (std::size_t first = 0; first < sequences.size();) {
    auto last = first;
    while (last + 1 < sequences.size() && sequences[last + 1] == sequences[last] + 1) ++last;
    insert.bind(2, sequences[first]);
    insert.bind(3, sequences[last]);
    (void)insert.run();
    first = last + 1;
  }
}

// Adds the events a batch added to every rollup, in the batch's transaction: an event sent
// again is not in `added`, so no rollup counts it twice. A new rollup is one line before the
// loop and one inside it (and, for one that adds up in memory first, its write after it).
void rollUp(Session& session, NameIds& names, const std::string& deviceId,
            const std::vector<AddedEvent>& added, Timestamp receivedAt) {
  HourlyRollup hours(session, deviceId, names, receivedAt);
  for (const auto& each : added) hours.add(*each.event, each.stored);
  hours.write();
}

}  // namespace

StoreEventsResult SqliteEventStore::storeEvents(const common::Batch& batch, Timestamp now) {
  std::int64_t batchHighest = 0;
  for (const auto& event : batch.events) batchHighest = std::max(batchHighest, event.sequence);
  const auto queueLag = queueLagSeconds(batch, now);
  const auto receivedAt = text(now);
  const auto& deviceId = batch.header.deviceId;

  return database_.write("store a batch of events", [&](Session& session) {
    names_.begin(session);
    const auto highest = query<Int64>(
        session,
        "UPDATE devices SET last_seen = ?, backlog = ?, "
        "queue_lag_seconds = COALESCE(?, queue_lag_seconds), "
        "highest_seq = CASE WHEN highest_seq < ? THEN ? ELSE highest_seq END "
        "WHERE id = ? RETURNING highest_seq",
        receivedAt, batch.header.backlog, queueLag, batchHighest, batchHighest, deviceId);
    if (highest.empty()) {
      throw std::runtime_error("Events arrived for device " + deviceId +
                               ", which is not enrolled here.");
    }
    const auto added = insertNewEvents(session, names_, batch);
    writeReceipts(session, names_.idOf(session, deviceId), added, storedMilliseconds(now));
    if (rollups_ == Rollups::Built) rollUp(session, names_, deviceId, added, now);
    return StoreEventsResult{.stored = added.size(), .highestSequence = highest.front()};
  });
}

std::int64_t SqliteEventStore::countEvents(const std::string& deviceId) {
  return database_.read("count events", [&](Session& session) {
    return query<Int64>(session,
                        "SELECT COUNT(*) FROM events "
                        "WHERE device = " +
                            std::string(kIdOfName),
                        deviceId)
        .at(0);
  });
}

std::size_t SqliteEventStore::deleteEventsBefore(common::EventType type, Timestamp cutoff) {
  return database_.write("delete events past their retention", [&](Session& session) {
    // The held sets are small and read once per statement (neither subquery is correlated).
    const auto deleted =
        execute(session,
                "DELETE FROM events WHERE type = ? AND time < ? AND " +
                    std::string(timeOrderTermFor(type)) +
                    " AND (device, seq) NOT IN (SELECT device, seq FROM held_events) "
                    "AND (member IS NULL OR member NOT IN (SELECT member FROM held_members))",
                storedTypeCode(type), storedMilliseconds(cutoff));
    // A batch's arrival goes with the last of its events: a row a batch, a probe each.
    (void)execute(session,
                  "DELETE FROM event_receipts WHERE NOT EXISTS (SELECT 1 FROM events e "
                  "WHERE e.device = event_receipts.device "
                  "AND e.seq BETWEEN event_receipts.first_seq AND event_receipts.last_seq)");
    return deleted;
  });
}

std::size_t SqliteEventStore::deleteUnreferencedNames() {
  return database_.write("delete names nothing refers to", [&](Session& session) {
    const auto deleted = collector::deleteUnreferencedNames(session);
    // Under the write lock, as storeEvents: no batch can take a number deleted here.
    if (deleted > 0) names_.forgetAll();
    return deleted;
  });
}

std::vector<DnsMinuteRecord> SqliteEventStore::listDnsMinutes(const std::string& deviceId,
                                                              Timestamp from, Timestamp to) {
  using Row = Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                          std::string, Int64>;
  const auto toRecord = [&](const Row& row) {
    return DnsMinuteRecord{.deviceId = deviceId,
                           .minute = timeFromMilliseconds(row.get<0>()),
                           .domain = row.get<1>(),
                           .action = row.get<2>(),
                           .category = row.get<3>(),
                           .osUser = row.get<4>(),
                           .member = row.get<5>(),
                           .profile = row.get<6>(),
                           .count = row.get<7>()};
  };
  return database_.read("list DNS decisions per minute", [&](Session& session) {
    // The partial events of a minute added up: an agent may write a minute's counts in several.
    return convertAll(
        query<Row>(session,
                   "SELECT e.moment, " + nameOf("e.site") + ", " + nameOf("e.action") + ", " +
                       nameOf("e.category") + ", " + nameOf("e.os_user") + ", " +
                       nameOf("e.member") + ", " + nameOf("e.profile") +
                       ", SUM(e.amount) AS count FROM events e "
                       "WHERE e.device = " +
                       std::string(kIdOfName) +
                       " AND e.type = ? AND e.moment >= ? AND e.moment < ? "
                       "GROUP BY e.moment, e.site, e.action, e.category, e.os_user, e.member, "
                       "e.profile ORDER BY 1, 2, 3, 4, 5, 6, 7",
                   deviceId, storedTypeCode(common::EventType::DnsDecision),
                   storedMilliseconds(from), storedMilliseconds(to)),
        toRecord);
  });
}

}  // namespace clubsafe::collector
