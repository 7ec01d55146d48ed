#include "collector/storage/sqlite_report_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/stored_event.hpp"
#include "common/crypto.hpp"

#include <Poco/Data/LOB.h>
#include <Poco/Tuple.h>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::BLOB;
using Poco::Data::Session;

const std::string kSelectChecks =
    "SELECT id, checked_at, checked_by, what, actions, recorded_by, recorded_at "
    "FROM report_checks";
using CheckRow =
    Tuple<Int64, std::string, std::string, std::string, std::string, std::string, std::string>;

CheckRecord toCheck(const CheckRow& row) {
  return {.id = row.get<0>(),
          .checkedAt = readTime(row.get<1>()),
          .checkedBy = row.get<2>(),
          .what = row.get<3>(),
          .actions = row.get<4>(),
          .recordedBy = row.get<5>(),
          .recordedAt = readTime(row.get<6>())};
}

const std::string kSelectSignOffs =
    "SELECT id, period_from, period_to, name, role, notes, signed_at, signed_by, pdf_sha256, "
    "length(report_pdf) FROM report_sign_offs";
using SignOffRow = Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                         std::string, std::string, std::string, Int64>;

SignedReportRecord toSignOff(const SignOffRow& row) {
  return {.id = row.get<0>(),
          .from = readTime(row.get<1>()),
          .to = readTime(row.get<2>()),
          .signOff = {.name = row.get<3>(),
                      .role = row.get<4>(),
                      .notes = row.get<5>(),
                      .signedAt = readTime(row.get<6>()),
                      .signedBy = row.get<7>()},
          .pdfSha256 = row.get<8>(),
          .pdfBytes = row.get<9>()};
}

using OverrideRow =
    Tuple<Int64, std::string, std::string, std::string, std::string, Int64, std::string>;

OverrideRecord toOverride(const OverrideRow& row) {
  return {.time = timeFromMilliseconds(row.get<0>()),
          .laptop = row.get<1>(),
          .worker = row.get<2>(),
          .scope = row.get<3>(),
          .target = row.get<4>(),
          .minutes = row.get<5>(),
          .reason = row.get<6>()};
}

using DecisionRow = Tuple<std::string, std::string, std::string, std::string, std::string,
                          NullableText, std::string>;

DecisionRecord toDecision(const DecisionRow& row) {
  return {.decidedAt = readTime(row.get<0>()),
          .decidedBy = row.get<1>(),
          .domain = row.get<2>(),
          .verdict = row.get<3>(),
          .scope = row.get<4>(),
          .until = readOptionalTime(row.get<5>()),
          .reason = row.get<6>()};
}

using AuditRow =
    Tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

AuditEntry toAudit(const AuditRow& row) {
  return {.time = readTime(row.get<0>()),
          .actor = row.get<1>(),
          .action = row.get<2>(),
          .target = row.get<3>(),
          .detail = row.get<4>(),
          .reason = row.get<5>()};
}

std::string blobText(const BLOB& blob) {
  return blob.size() == 0
             ? std::string()
             : std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
}

}  // namespace

std::int64_t SqliteReportStore::recordCheck(const CheckRecord& check, AuditEntry audit) {
  return database_.write("record a check", [&](Session& session) {
    const auto id = query<Int64>(session,
                                 "INSERT INTO report_checks (checked_at, checked_by, what, "
                                 "actions, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?) "
                                 "RETURNING id",
                                 text(check.checkedAt), check.checkedBy, check.what, check.actions,
                                 check.recordedBy, text(check.recordedAt))
                        .at(0);
    audit.target = std::to_string(id);
    insertAuditEntry(session, audit);
    return id;
  });
}

std::vector<CheckRecord> SqliteReportStore::checksBetween(Timestamp from, Timestamp to) {
  return database_.read("read the record of checks", [&](Session& session) {
    return convertAll(
        query<CheckRow>(
            session,
            kSelectChecks + " WHERE checked_at >= ? AND checked_at < ? ORDER BY checked_at, id",
            text(from), text(to)),
        toCheck);
  });
}

std::int64_t SqliteReportStore::signOff(const FrozenReport& report, AuditEntry audit) {
  const auto pdfSha256 = common::sha256Hex(report.pdf);
  const auto jsonSha256 = common::sha256Hex(report.json);
  const BLOB pdf(reinterpret_cast<const unsigned char*>(report.pdf.data()), report.pdf.size());
  return database_.write("store a signed-off report", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO report_sign_offs (period_from, period_to, name, role, notes, "
                     "signed_at, signed_by, report_json, json_sha256, report_pdf, pdf_sha256) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     text(report.from), text(report.to), report.signOff.name, report.signOff.role,
                     report.signOff.notes, text(report.signOff.signedAt), report.signOff.signedBy,
                     report.json, jsonSha256, pdf, pdfSha256)
            .at(0);
    audit.target = std::to_string(id);
    audit.detail = "PDF SHA-256 " + pdfSha256;
    insertAuditEntry(session, audit);
    return id;
  });
}

std::vector<SignedReportRecord> SqliteReportStore::listSignOffs() {
  return database_.read("list signed-off reports", [&](Session& session) {
    return convertAll(query<SignOffRow>(session, kSelectSignOffs + " ORDER BY id DESC"), toSignOff);
  });
}

std::optional<SignedReportRecord> SqliteReportStore::findSignOff(std::int64_t id) {
  return database_.read("read a signed-off report", [&](Session& session) {
    return convertFirst(
        query<SignOffRow>(session, kSelectSignOffs + " WHERE id = ?", static_cast<Int64>(id)),
        toSignOff);
  });
}

std::optional<std::string> SqliteReportStore::signedPdf(std::int64_t id) {
  return database_.read("read a signed-off report's PDF", [&](Session& session) {
    return convertFirst(query<BLOB>(session, "SELECT report_pdf FROM report_sign_offs WHERE id = ?",
                                    static_cast<Int64>(id)),
                        blobText);
  });
}

std::optional<std::string> SqliteReportStore::signedJson(std::int64_t id) {
  return database_.read("read a signed-off report", [&](Session& session) {
    const auto rows = query<std::string>(
        session, "SELECT report_json FROM report_sign_offs WHERE id = ?", static_cast<Int64>(id));
    return rows.empty() ? std::nullopt : std::optional<std::string>(rows.front());
  });
}

PeriodRecords SqliteReportRecords::periodRecords(Timestamp from, Timestamp to, std::size_t limit) {
  const auto first = text(from);
  const auto end = text(to);
  const auto most = static_cast<Int64>(limit);
  return database_.read("read the audit report's records", [&](Session& session) {
    PeriodRecords records;
    records.overrides = convertAll(
        query<OverrideRow>(session,
                           "SELECT e.time, COALESCE(d.name, dn.name), "
                           "COALESCE(json_extract(e.payload, '$.worker'), ''), "
                           "COALESCE(json_extract(e.payload, '$.scope'), ''), "
                           "COALESCE(json_extract(e.payload, '$.target'), ''), "
                           "COALESCE(json_extract(e.payload, '$.minutes'), 0), "
                           "COALESCE(json_extract(e.payload, '$.reason'), '') "
                           "FROM events e JOIN rollup_names dn ON dn.id = e.device "
                           "LEFT JOIN devices d ON d.id = dn.name "
                           "WHERE e.type = ? AND e.time >= ? AND e.time < ? AND " +
                               withAlias(kTypeIndexTerm, "e") + " ORDER BY e.time LIMIT ?",
                           storedTypeCode(common::EventType::Override), storedMilliseconds(from),
                           storedMilliseconds(to), most),
        toOverride);
    records.worries =
        query<Int64>(session,
                     "SELECT COUNT(*) FROM events WHERE type = ? AND time >= ? AND time < ? AND " +
                         std::string(kTypeIndexTerm),
                     storedTypeCode(common::EventType::WorryReport), storedMilliseconds(from),
                     storedMilliseconds(to))
            .at(0);
    records.decisions = convertAll(
        query<DecisionRow>(session,
                           "SELECT decided_at, decided_by, domain, verdict, scope, until, reason "
                           "FROM review_decisions WHERE decided_at >= ? AND decided_at < ? "
                           "ORDER BY decided_at, id LIMIT ?",
                           first, end, most),
        toDecision);
    // Sign-ins and the report's own entries are not changes; the checks have their own list.
    records.changes = convertAll(
        query<AuditRow>(session,
                        "SELECT time, actor, action, target, detail, reason FROM audit_log "
                        "WHERE time >= ? AND time < ? AND action NOT LIKE 'console.%' "
                        "AND action NOT LIKE 'report.%' ORDER BY time, id LIMIT ?",
                        first, end, most),
        toAudit);
    records.checks = convertAll(
        query<CheckRow>(session,
                        kSelectChecks +
                            " WHERE checked_at >= ? AND checked_at < ? ORDER BY checked_at, id "
                            "LIMIT ?",
                        first, end, most),
        toCheck);
    return records;
  });
}

}  // namespace clubsafe::collector
