#pragma once

#include "collector/storage/read_model.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// ReadModel over the rollup tables of migrations 8 and 16 (sqlite_rollups.hpp,
// sqlite_day_rollups.hpp) and the devices table,
// each call in one read transaction. Hours are grouped into the club's local days and weeks
// and checked against its opening hours as they are read, so the rollups never change with
// the club's settings.
class SqliteReadModel final : public ReadModel {
 public:
  // Read: whole UTC days of a period from the day tables of migration 16 (what the collector
  // does). Ignore: every hour from the hourly tables, the reference the day tables are tested
  // against; the figures are the same.
  enum class DayRollups : std::uint8_t { Read, Ignore };

  explicit SqliteReadModel(SqliteDatabase& database, DayRollups dayRollups = DayRollups::Read)
      : database_(database), dayRollups_(dayRollups) {}

  DashboardFigures dashboard(const ClubTime& clubTime, Timestamp from, Timestamp to,
                             std::size_t top) override;
  std::vector<LaptopNow> inUseNow(Timestamp now, std::chrono::minutes window) override;
  std::vector<std::string> membersSignedInBetween(Timestamp since, Timestamp now) override;
  std::size_t deleteRollupsBefore(Timestamp cutoff) override;

 private:
  SqliteDatabase& database_;
  DayRollups dayRollups_;
};

}  // namespace clubsafe::collector
