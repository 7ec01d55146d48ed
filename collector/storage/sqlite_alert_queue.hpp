#pragma once

#include "collector/storage/alert_queue.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The alert_cases and alert_history tables (migration 17, migration_alert_cases.cpp).
class SqliteAlertQueue final : public AlertQueue {
 public:
  explicit SqliteAlertQueue(SqliteDatabase& database) : database_(database) {}

  std::vector<AlertSummary> listAlerts(const AlertListFilter& filter, std::size_t limit,
                                       std::size_t offset) override;
  std::optional<AlertDetail> alertDetail(std::int64_t alertId) override;
  void acknowledge(std::int64_t alertId, const std::string& by, Timestamp at) override;
  void assign(std::int64_t alertId, const std::string& assignee, const std::string& by,
              Timestamp at) override;
  void close(std::int64_t alertId, AlertState closedAs, const std::string& reason,
             const std::string& by, Timestamp at) override;
  void reopen(std::int64_t alertId, const std::string& reason, const std::string& by,
              Timestamp at) override;
  void markEscalated(std::int64_t alertId, std::int64_t incidentId, const std::string& by) override;
  std::vector<FalsePositiveCount> falsePositiveCounts() override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
