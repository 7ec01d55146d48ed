#pragma once

#include "collector/storage/incident_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The incident log's tables (migration 18, migration_incidents.cpp).
class SqliteIncidentStore final : public IncidentStore {
 public:
  explicit SqliteIncidentStore(SqliteDatabase& database) : database_(database) {}

  std::int64_t openIncident(const NewIncident& incident) override;
  std::vector<IncidentSummary> listIncidents() override;
  std::optional<Incident> findIncident(std::int64_t id) override;
  IncidentLogCounts countIncidents() override;
  void addInvolved(std::int64_t incidentId, const IncidentInvolved& added, const std::string& by,
                   Timestamp at) override;
  std::int64_t addEntry(std::int64_t incidentId, const ChronologyEntry& entry) override;
  std::int64_t tickAction(std::int64_t incidentId, const ActionTick& tick) override;
  std::int64_t recordSharing(std::int64_t incidentId, const SharingDecision& decision) override;
  void closeIncident(std::int64_t incidentId, const IncidentClosure& closure) override;
  void releaseHold(std::int64_t incidentId, const std::string& by, Timestamp at,
                   const std::string& reason) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
