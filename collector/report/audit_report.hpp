#pragma once

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

// A youth worker's unlock on a laptop (an override event).
struct OverrideLine {
  Timestamp time{};
  std::string laptop;
  std::string worker;
  std::string scope;  // domain or category
  std::string target;
  std::int64_t minutes = 0;
  std::string reason;
};

struct ReviewDecisionLine {
  Timestamp decidedAt{};
  std::string decidedBy;
  std::string domain;
  std::string verdict;  // allow or keep_blocked
  std::string scope;    // a profile id, or "*" for every profile
  std::optional<Timestamp> until;
  std::string reason;
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

// A change from the audit log: policy versions, lists, profiles, the notice, laptops.
struct PolicyChangeLine {
  Timestamp time{};
  std::string actor;
  std::string action;
  std::string target;
  std::string detail;
  std::string reason;
};

// A check the manager recorded (DfE filtering and monitoring standard 2: keep a record of
// each review and check).
struct CheckRecord {
  std::int64_t id = 0;
  Timestamp checkedAt{};
  std::string checkedBy;
  std::string what;     // what was checked
  std::string actions;  // what was done about it; '' for nothing
  std::string recordedBy;
  Timestamp recordedAt{};
};

// Who signed the report off, as they gave it; signedBy is the console account that did it.
struct ReportSignOff {
  std::string name;
  std::string role;
  std::string notes;
  Timestamp signedAt{};
  std::string signedBy;
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
  std::vector<OverrideLine> overrides;
  std::vector<ReviewDecisionLine> reviewDecisions;
  std::vector<NewApp> newApps;
  IncidentCounts incidents;
  std::vector<PolicyChangeLine> policyChanges;
  NoticeCounts notices;
  std::vector<CheckRecord> checks;

  std::optional<ReportSignOff> signOff;  // set on the copy that is frozen
};

// A self-test pass rate in whole percent; nullopt when none ran.
[[nodiscard]] std::optional<int> passRatePercent(const LaptopSelfTests& tests);

}  // namespace clubsafe::collector
