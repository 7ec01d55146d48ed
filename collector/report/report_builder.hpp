#pragma once

#include "collector/report/audit_report.hpp"
#include "collector/storage/device_store.hpp"
#include "collector/storage/filtering_store.hpp"
#include "collector/storage/report_figures.hpp"
#include "collector/storage/report_store.hpp"

#include <cstddef>
#include <string>

namespace clubsafe::collector {

// Fills an AuditReport for a period: figures from the read model's rollups (ReportFigures),
// names and reasons from the few rows that carry them (ReportRecords), laptops from the
// devices. Nothing reads raw events in bulk, so a year's report stays within a couple of
// seconds (docs/PERFORMANCE.md).
class ReportBuilder {
 public:
  // Rows listed per section at most (unlocks, decisions, changes, checks); a club's year has
  // far fewer.
  static constexpr std::size_t kMaxListed = 5000;

  ReportBuilder(DeviceStore& devices, FilteringStore& filtering, ReportFigures& figures,
                ReportRecords& records, std::string timeZone)
      : devices_(devices),
        filtering_(filtering),
        figures_(figures),
        records_(records),
        timeZone_(std::move(timeZone)) {}

  // The report for from <= time < to, made at `now`.
  [[nodiscard]] AuditReport build(Timestamp from, Timestamp to, Timestamp now);

 private:
  DeviceStore& devices_;
  FilteringStore& filtering_;
  ReportFigures& figures_;
  ReportRecords& records_;
  std::string timeZone_;
};

}  // namespace clubsafe::collector
