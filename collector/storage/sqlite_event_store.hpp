#pragma once

#include "collector/storage/event_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The events table and the rollups fed from it at ingest (sqlite_dns_minutes.hpp).
class SqliteEventStore final : public EventStore {
 public:
  explicit SqliteEventStore(SqliteDatabase& database) : database_(database) {}

  StoreEventsResult storeEvents(const common::Batch& batch, Timestamp now) override;
  std::int64_t countEvents(const std::string& deviceId) override;
  std::size_t deleteEventsBefore(common::EventType type, Timestamp cutoff) override;
  std::vector<DnsMinuteRecord> listDnsMinutes(const std::string& deviceId, Timestamp from,
                                              Timestamp to) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
