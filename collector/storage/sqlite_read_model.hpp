#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/storage/read_model.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// ReadModel over the rollup tables of migration 8 (sqlite_rollups.hpp) and the devices table,
// each call in one read transaction. Hours are grouped into the club's local days and weeks
// and checked against its opening hours here, as they are read.
class SqliteReadModel final : public ReadModel {
 public:
  SqliteReadModel(SqliteDatabase& database, ClubTime clubTime)
      : database_(database), clubTime_(std::move(clubTime)) {}

  DashboardFigures dashboard(Timestamp from, Timestamp to, std::size_t top) override;
  std::vector<LaptopNow> inUseNow(Timestamp now, std::chrono::minutes window) override;
  std::size_t deleteRollupsBefore(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
  ClubTime clubTime_;
};

}  // namespace clubsafe::collector
