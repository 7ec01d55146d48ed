#pragma once

#include "collector/storage/report_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The report_checks and report_sign_offs tables (migration 10).
class SqliteReportStore final : public ReportStore {
 public:
  explicit SqliteReportStore(SqliteDatabase& database) : database_(database) {}

  std::int64_t recordCheck(const CheckRecord& check, AuditEntry audit) override;
  std::vector<CheckRecord> checksBetween(Timestamp from, Timestamp to) override;
  std::int64_t signOff(const FrozenReport& report, AuditEntry audit) override;
  std::vector<SignedReportRecord> listSignOffs() override;
  std::optional<SignedReportRecord> findSignOff(std::int64_t id) override;
  std::optional<std::string> signedPdf(std::int64_t id) override;
  std::optional<std::string> signedJson(std::int64_t id) override;

 private:
  SqliteDatabase& database_;
};

// Overrides and worries from events (by the events_by_type_time index), review decisions and
// the audit log, for a period.
class SqliteReportRecords final : public ReportRecords {
 public:
  explicit SqliteReportRecords(SqliteDatabase& database) : database_(database) {}

  PeriodRecords periodRecords(Timestamp from, Timestamp to, std::size_t limit) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
