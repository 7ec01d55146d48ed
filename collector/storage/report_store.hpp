#pragma once

#include "collector/storage/audit_log.hpp"
#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// A check the manager recorded (DfE filtering and monitoring standard 2: keep a record of
// each review and check). Checks are kept as written: a correction is a new check.
struct CheckRecord {
  std::int64_t id = 0;
  Timestamp checkedAt{};
  std::string checkedBy;
  std::string what;     // what was checked
  std::string actions;  // what was done about it; '' for nothing
  std::string recordedBy;
  Timestamp recordedAt{};
};

// Who signed a report off, as they gave it; signedBy is the console account that did it.
struct ReportSignOff {
  std::string name;
  std::string role;
  std::string notes;
  Timestamp signedAt{};
  std::string signedBy;
};

// A signed-off report as the list of past sign-offs shows it.
struct SignedReportRecord {
  std::int64_t id = 0;
  Timestamp from{};
  Timestamp to{};
  ReportSignOff signOff;
  std::string pdfSha256;  // hex SHA-256 of the frozen PDF's bytes
  std::int64_t pdfBytes = 0;
};

// What a sign-off freezes: the report as its JSON and its PDF, exactly as signed.
struct FrozenReport {
  Timestamp from{};
  Timestamp to{};
  ReportSignOff signOff;
  std::string json;
  std::string pdf;
};

// The audit report's own records: the record of checks and the signed-off reports. A signed
// report is frozen: its JSON and PDF are stored with their SHA-256 and the database refuses to
// change or delete them, so no later purge or edit changes what was signed. Each change writes
// its audit entry in its own transaction. Safe to call from many threads.
class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Returns the check's id; `audit` is written with its target set to that id.
  virtual std::int64_t recordCheck(const CheckRecord& check, AuditEntry audit) = 0;
  // Checks with from <= checkedAt < to, oldest first.
  virtual std::vector<CheckRecord> checksBetween(Timestamp from, Timestamp to) = 0;

  // Stores the frozen report with the SHA-256 of its PDF and JSON; returns its id. `audit` is
  // written with its target set to that id and the PDF's SHA-256 in its detail.
  virtual std::int64_t signOff(const FrozenReport& report, AuditEntry audit) = 0;
  // Newest first.
  virtual std::vector<SignedReportRecord> listSignOffs() = 0;
  virtual std::optional<SignedReportRecord> findSignOff(std::int64_t id) = 0;
  // The frozen PDF's bytes or JSON text, as signed; nullopt for no such sign-off.
  virtual std::optional<std::string> signedPdf(std::int64_t id) = 0;
  virtual std::optional<std::string> signedJson(std::int64_t id) = 0;
};

// A youth worker's unlock, from its override event.
struct OverrideRecord {
  Timestamp time{};
  std::string laptop;  // the device's name
  std::string worker;
  std::string scope;
  std::string target;
  std::int64_t minutes = 0;
  std::string reason;
};

// A filtering review decision (review_decisions) as the report lists it.
struct DecisionRecord {
  Timestamp decidedAt{};
  std::string decidedBy;
  std::string domain;
  std::string verdict;
  std::string scope;
  std::optional<Timestamp> until;
  std::string reason;
};

// What the report lists by person and reason for a period, read in one transaction. These are
// few rows (unlocks, decisions, changes), each read through an index on its time; the report's
// figures come from the read model instead.
struct PeriodRecords {
  std::vector<OverrideRecord> overrides;
  std::vector<DecisionRecord> decisions;
  std::vector<AuditEntry> changes;  // the audit log, oldest first
  std::vector<CheckRecord> checks;
  std::int64_t worries = 0;  // worry_report events, counted only
};

class ReportRecords {
 public:
  virtual ~ReportRecords() = default;

  // Everything with from <= time < to; each list holds at most `limit` rows, oldest first.
  virtual PeriodRecords periodRecords(Timestamp from, Timestamp to, std::size_t limit) = 0;
};

}  // namespace clubsafe::collector
