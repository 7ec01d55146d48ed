#pragma once

#include "collector/storage/read_model.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// ReadModel over the rollup tables of migration 8 (sqlite_rollups.hpp) and the devices table,
// each call in one read transaction. Hours are grouped into the club's local days and weeks
// and checked against its opening hours as they are read, so the rollups never change with
// the club's settings.
class SqliteReadModel final : public ReadModel {
 public:
  explicit SqliteReadModel(SqliteDatabase& database) : database_(database) {}

  DashboardFigures dashboard(const ClubTime& clubTime, Timestamp from, Timestamp to,
                             std::size_t top) override;
  std::vector<LaptopNow> inUseNow(Timestamp now, std::chrono::minutes window) override;
  std::size_t deleteRollupsBefore(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
