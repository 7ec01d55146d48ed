#include "collector/report/report_pdf.hpp"

#include "collector/club_time/club_time.hpp"
#include "collector/report/local_times.hpp"
#include "collector/report/pdf_document.hpp"

#include <chrono>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace std::chrono;

std::string count(std::int64_t value) {
  return std::to_string(value);
}

void coverageSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Laptops and reporting");
  if (report.coverage.empty()) return pdf.note("No laptops are enrolled.");
  PdfTable table{{{"Laptop", 3}, {"Last contact", 3}, {"Hours reporting", 1.5}, {"Events", 1.5}},
                 {}};
  for (const auto& row : report.coverage) {
    table.rows.push_back({row.revoked ? row.laptop + " (revoked)" : row.laptop,
                          times.time(row.lastContact), count(row.hoursReporting),
                          count(row.events)});
  }
  pdf.table(table);
}

void selfTestSection(PdfDocument& pdf, const AuditReport& report) {
  pdf.heading("Filtering working: self-tests");
  pdf.paragraph(
      "Each laptop checks by itself that sites in every blocked category are really blocked and "
      "that safe search is enforced.");
  if (report.selfTests.empty()) return pdf.note("No self-test ran in this period.");
  PdfTable table{{{"Laptop", 3}, {"Passed", 1}, {"Failed", 1}, {"Pass rate", 1}}, {}};
  for (const auto& row : report.selfTests) {
    const auto rate = passRatePercent(row);
    table.rows.push_back({row.laptop, count(row.passed), count(row.failed),
                          rate ? std::to_string(*rate) + "%" : "none ran"});
  }
  pdf.table(table);
}

void blocksSection(PdfDocument& pdf, const AuditReport& report) {
  pdf.heading("Blocked attempts by category");
  if (report.blocks.empty()) return pdf.note("Nothing was blocked in this period.");
  PdfTable table{{{"Category", 3}, {"List id", 2}, {"Attempts", 1}}, {}};
  for (const auto& row : report.blocks) {
    table.rows.push_back({row.name, row.category, count(row.attempts)});
  }
  pdf.table(table);
}

void overridesSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Sites unlocked by youth workers");
  if (report.overrides.empty()) return pdf.note("No site or category was unlocked.");
  PdfTable table{
      {{"When", 2.2}, {"Laptop", 1.6}, {"Worker", 1.4}, {"Unlocked", 2}, {"For", 0.8}, {"Why", 3}},
      {}};
  for (const auto& row : report.overrides) {
    table.rows.push_back({times.time(row.time), row.laptop, row.worker,
                          row.target + " (" + row.scope + ")", std::to_string(row.minutes) + " min",
                          row.reason});
  }
  pdf.table(table);
}

void decisionsSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Filtering review decisions");
  if (report.reviewDecisions.empty()) return pdf.note("No review decision in this period.");
  PdfTable table{{{"Decided", 2.2},
                  {"By", 1.4},
                  {"Site", 2},
                  {"Decision", 2.2},
                  {"Profiles", 1.2},
                  {"Why", 3}},
                 {}};
  for (const auto& row : report.reviewDecisions) {
    std::string decision = row.verdict == "allow" ? "Allowed" : "Kept blocked";
    if (row.until) decision += " until " + times.time(*row.until);
    table.rows.push_back({times.time(row.decidedAt), row.decidedBy, row.domain, decision,
                          row.scope == "*" ? "all" : row.scope, row.reason});
  }
  pdf.table(table);
}

void newAppsSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("New apps seen");
  if (report.newApps.empty()) return pdf.note("No app was used for the first time.");
  PdfTable table{{{"App", 3}, {"First used", 2}, {"Minutes in use", 1}}, {}};
  for (const auto& row : report.newApps) {
    table.rows.push_back({row.app, times.time(row.firstSeen), count(row.minutes)});
  }
  pdf.table(table);
}

void countsSection(PdfDocument& pdf, const AuditReport& report) {
  pdf.heading("Alerts, incidents and notices (counts only)");
  pdf.paragraph(
      "The detail of safeguarding alerts and worries is for the designated safeguarding lead.");
  const auto& incidents = report.incidents;
  const auto& notices = report.notices;
  pdf.table(
      {{{"What", 4}, {"Count", 1}},
       {{"Safeguarding alerts", count(incidents.alerts)},
        {"Worries reported by young people", count(incidents.worries)},
        {"Tamper evidence", count(incidents.tamper)},
        {"Unlocks by youth workers", count(incidents.overrides)},
        {"Requests to review a block", count(incidents.reviewRequests)},
        {"Monitoring notices acknowledged", count(notices.acknowledged)},
        {"Monitoring notices closed without acknowledging", count(notices.notAcknowledged)}}});
}

void changesSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Policy changes");
  if (report.policyChanges.empty()) return pdf.note("Nothing was changed in this period.");
  PdfTable table{{{"When", 2.2}, {"By", 1.4}, {"Change", 2}, {"What", 2.6}, {"Why", 2.6}}, {}};
  for (const auto& row : report.policyChanges) {
    const std::string what =
        row.detail.empty() ? row.target
                           : (row.target.empty() ? row.detail : row.target + ": " + row.detail);
    table.rows.push_back({times.time(row.time), row.actor, row.action, what, row.reason});
  }
  pdf.table(table);
}

void checksSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Record of checks");
  if (report.checks.empty()) return pdf.note("No check was recorded in this period.");
  PdfTable table{{{"When", 2}, {"Who", 1.5}, {"What was checked", 3.5}, {"Resulting actions", 3.5}},
                 {}};
  for (const auto& row : report.checks) {
    table.rows.push_back({times.time(row.checkedAt), row.checkedBy, row.what,
                          row.actions.empty() ? "none" : row.actions});
  }
  pdf.table(table);
}

void signOffSection(PdfDocument& pdf, const AuditReport& report, const LocalTimes& times) {
  pdf.heading("Sign-off");
  if (!report.signOff) {
    pdf.note("Not signed off. Name, role, date and signature:");
    return;
  }
  const auto& signOff = *report.signOff;
  pdf.table({{{"", 1}, {"", 4}},
             {{"Name", signOff.name},
              {"Role", signOff.role},
              {"Signed off",
               times.time(signOff.signedAt) + " (console account " + signOff.signedBy + ")"},
              {"Notes", signOff.notes.empty() ? "none" : signOff.notes}}});
}

}  // namespace

std::string renderReportPdf(const AuditReport& report) {
  const LocalTimes times(report.timeZone);
  const std::string period =
      times.day(report.from) + " to " + times.day(report.to - milliseconds(1));
  const std::string title = "Online safety audit: " + report.clubName;
  return PdfDocument::render(title, report.clubName + " · audit " + period, [&](PdfDocument& pdf) {
    pdf.title(title);
    pdf.paragraph("Period: " + period + " (times in " + times.zoneName() + ")");
    pdf.paragraph("Report made " + times.time(report.generatedAt) + " by clubsafe.");
    coverageSection(pdf, report, times);
    selfTestSection(pdf, report);
    blocksSection(pdf, report);
    overridesSection(pdf, report, times);
    decisionsSection(pdf, report, times);
    newAppsSection(pdf, report, times);
    countsSection(pdf, report);
    changesSection(pdf, report, times);
    checksSection(pdf, report, times);
    signOffSection(pdf, report, times);
  });
}

}  // namespace clubsafe::collector
