#include "collector/storage/sqlite_event_store.hpp"

#include "collector/storage/sqlite_dns_minutes.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_rollups.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using namespace sqlite;
using Poco::Int64;
using Poco::Data::Session;
using Poco::Data::Statement;

std::string compactJson(const Poco::JSON::Object::Ptr& object) {
  if (object.isNull()) return "{}";
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

// The age of the batch's oldest event on arrival; null for an empty batch, which says nothing
// about lag, so the device keeps the value it had.
Poco::Nullable<Int64> queueLagSeconds(const common::Batch& batch, Timestamp now) {
  if (batch.events.empty()) return {};
  const auto oldest = std::ranges::min(batch.events, {}, &common::Event::time).time;
  return std::max<Int64>(0, std::chrono::duration_cast<std::chrono::seconds>(now - oldest).count());
}

// Inserts the batch's events, skipping those stored before, and returns the ones it added.
std::vector<const common::Event*> insertNewEvents(Session& session, const common::Batch& batch,
                                                  const std::string& receivedAt) {
  // Non-const copies: the prepared insert binds to them by reference.
  std::string deviceId = batch.header.deviceId;
  std::string received = receivedAt;
  Int64 sequence = 0;
  std::string type, time, osUser, member, profile, payload;
  Statement insert(session);
  insert << "INSERT INTO events (device_id, seq, type, time, os_user, member, profile, "
            "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (device_id, seq) DO NOTHING",
      db::use(deviceId), db::use(sequence), db::use(type), db::use(time), db::use(osUser),
      db::use(member), db::use(profile), db::use(payload), db::use(received);
  std::vector<const common::Event*> added;
  added.reserve(batch.events.size());
  for (const auto& event : batch.events) {
    sequence = event.sequence;
    type = common::eventTypeInfo(event.type).name;
    time = text(event.time);
    osUser = event.osUser;
    member = event.member;
    profile = event.profile;
    payload = compactJson(event.payload);
    if (insert.execute() == 1) added.push_back(&event);
  }
  return added;
}

// Adds the events a batch added to every rollup, in the batch's transaction: an event sent
// again is not in `added`, so no rollup counts it twice. A new rollup is one line before the
// loop and one inside it (and, for one that adds up in memory first, its write after it).
void rollUp(Session& session, const std::string& deviceId,
            const std::vector<const common::Event*>& added) {
  DnsMinuteRollup dnsMinutes(session, deviceId);
  HourlyRollup hours(session, deviceId);
  for (const auto* event : added) {
    if (event->type == common::EventType::DnsDecision) dnsMinutes.add(*event);
    hours.add(*event);
  }
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
    const auto added = insertNewEvents(session, batch, receivedAt);
    rollUp(session, deviceId, added);
    return StoreEventsResult{.stored = added.size(), .highestSequence = highest.front()};
  });
}

std::int64_t SqliteEventStore::countEvents(const std::string& deviceId) {
  return database_.read("count events", [&](Session& session) {
    return query<Int64>(session, "SELECT COUNT(*) FROM events WHERE device_id = ?", deviceId).at(0);
  });
}

std::size_t SqliteEventStore::deleteEventsBefore(common::EventType type, Timestamp cutoff) {
  return database_.write("delete events past their retention", [&](Session& session) {
    // The minutes are read in place of the events they add up, so they go with them.
    if (type == common::EventType::DnsDecision) (void)deleteDnsMinutesBefore(session, cutoff);
    return execute(session, "DELETE FROM events WHERE type = ? AND time < ?",
                   std::string(common::eventTypeInfo(type).name), text(cutoff));
  });
}

std::vector<DnsMinuteRecord> SqliteEventStore::listDnsMinutes(const std::string& deviceId,
                                                              Timestamp from, Timestamp to) {
  return database_.read("list DNS decisions per minute", [&](Session& session) {
    return selectDnsMinutes(session, deviceId, from, to);
  });
}

}  // namespace clubsafe::collector
