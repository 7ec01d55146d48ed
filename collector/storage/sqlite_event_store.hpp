#pragma once

#include "collector/storage/event_store.hpp"
#include "collector/storage/sqlite_database.hpp"
#include "collector/storage/sqlite_names.hpp"

namespace clubsafe::collector {

// The events table (stored_event.hpp) and the rollups fed at ingest (sqlite_rollups.hpp).
class SqliteEventStore final : public EventStore {
 public:
  // Skipped leaves the rollups out: only for a benchmark to measure what they cost at ingest.
  enum class Rollups : bool { Built, Skipped };

  explicit SqliteEventStore(SqliteDatabase& database, Rollups rollups = Rollups::Built)
      : database_(database), rollups_(rollups) {}

  StoreEventsResult storeEvents(const common::Batch& batch, Timestamp now) override;
  std::int64_t countEvents(const std::string& deviceId) override;
  std::size_t deleteEventsBefore(common::EventType type, Timestamp cutoff) override;
  std::size_t deleteUnreferencedNames() override;
  std::vector<DnsMinuteRecord> listDnsMinutes(const std::string& deviceId, Timestamp from,
                                              Timestamp to) override;

 private:
  SqliteDatabase& database_;
  Rollups rollups_;
  NameIds names_;  // used inside write transactions only
};

}  // namespace clubsafe::collector
