#pragma once

#include "collector/storage/report_figures.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// ReportFigures over the rollup tables of migration 8, in one read transaction.
class SqliteReportFigures final : public ReportFigures {
 public:
  explicit SqliteReportFigures(SqliteDatabase& database) : database_(database) {}

  PeriodFigures periodFigures(Timestamp from, Timestamp to) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
