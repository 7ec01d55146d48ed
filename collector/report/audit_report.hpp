#pragma once

#include "collector/storage/report_store.hpp"
#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// The manager's audit report for a period (SPEC C10; docs/REPORT.md): plain data, made by
// ReportBuilder, drawn as a PDF by renderReportPdf and sent to the console as JSON by
// reportToJson. A signed report is frozen as that JSON and that PDF, so nothing here is read
// again from the database once signed.

struct LaptopCoverage {
  std::string laptop;  // the device's name
  std::optional<Timestamp> lastContact;
  std::int64_t hoursReporting = 0;  // hours of the period in which it sent anything
  std::int64_t events = 0;          // events it sent during the period
  bool revoked = false;
};

struct LaptopSelfTests {
  std::string laptop;
  std::int64_t passed = 0;
  std::int64_t failed = 0;
};

struct CategoryBlocks {
  std::string category;  // the id, as lists and policies have it
  std::string name;      // what a UK manager reads (common/category_catalogue.hpp)
  std::int64_t attempts = 0;
};

struct NewApp {
  std::string app;
  Timestamp firstSeen{};
  std::int64_t minutes = 0;  // minutes in front during the period
};

// Counted only: the detail of alerts and worries is for the designated safeguarding lead.
struct IncidentCounts {
  std::int64_t alerts = 0;   // safeguarding alerts
  std::int64_t worries = 0;  // "Report a worry" from a young person
  std::int64_t tamper = 0;   // tamper evidence
  std::int64_t overrides = 0;
  std::int64_t reviewRequests = 0;
};

struct NoticeCounts {
  std::int64_t acknowledged = 0;
  std::int64_t notAcknowledged = 0;  // closed or timed out
};

struct AuditReport {
  std::string clubName;
  std::string timeZone;  // the club's, for the local times a reader sees
  Timestamp from{};      // inclusive
  Timestamp to{};        // exclusive
  Timestamp generatedAt{};

  std::vector<LaptopCoverage> coverage;
  std::vector<LaptopSelfTests> selfTests;
  std::vector<CategoryBlocks> blocks;
  std::vector<OverrideRecord> overrides;
  std::vector<DecisionRecord> reviewDecisions;
  std::vector<NewApp> newApps;
  IncidentCounts incidents;
  std::vector<AuditEntry> policyChanges;  // from the audit log
  NoticeCounts notices;
  std::vector<CheckRecord> checks;

  std::optional<ReportSignOff> signOff;  // set on the copy that is frozen
};

// A self-test pass rate in whole percent; nullopt when none ran.
[[nodiscard]] std::optional<int> passRatePercent(const LaptopSelfTests& tests);

}  // namespace clubsafe::collector
