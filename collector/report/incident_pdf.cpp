#include "collector/report/incident_pdf.hpp"

#include "collector/report/local_times.hpp"
#include "collector/report/pdf_document.hpp"

#include <algorithm>

namespace clubsafe::collector {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none recorded" : text;
}

std::string counted(std::size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

void overviewSection(PdfDocument& pdf, const Incident& incident, const LocalTimes& times) {
  const auto& summary = incident.summary;
  PdfTable table{{{"", 1}, {"", 3}}, {}};
  table.rows.push_back({"Category", std::string(incidentLabel(summary.category))});
  table.rows.push_back({"Opened", times.time(summary.openedAt) + " by " + summary.openedBy});
  table.rows.push_back({"Status", incident.closure
                                      ? "Closed " + times.time(incident.closure->closedAt) +
                                            " by " + incident.closure->closedBy
                                      : "Open"});
  table.rows.push_back({"Review date", summary.reviewDate.value_or("none set")});
  table.rows.push_back({"Legal hold", summary.held ? "On: its records are kept from deletion"
                                                   : "Released: " + incident.holdReleaseReason});
  const auto& involved = incident.involved;
  table.rows.push_back({"Young people", joined(involved.members)});
  table.rows.push_back({"Staff", joined(involved.staff)});
  table.rows.push_back({"Laptops", joined(involved.laptops)});
  table.rows.push_back({"Linked records", counted(involved.events.size(), "event", "events") +
                                              ", " +
                                              counted(involved.alerts.size(), "alert", "alerts")});
  pdf.table(table);
}

void chronologySection(PdfDocument& pdf, const Incident& incident, const LocalTimes& times) {
  pdf.heading("Chronology");
  PdfTable table{{{"When", 2}, {"Who", 1.2}, {"What", 5}}, {}};
  for (const auto& entry : incident.chronology) {
    auto text = entry.text;
    if (entry.corrects)
      text = "Correction of entry " + std::to_string(*entry.corrects) + ": " + text;
    table.rows.push_back(
        {times.time(entry.time), entry.author, "[" + std::to_string(entry.id) + "] " + text});
  }
  pdf.table(table);
}

void checklistSection(PdfDocument& pdf, const Incident& incident, const LocalTimes& times) {
  pdf.heading("Actions (the policy's appendix 2)");
  PdfTable table{{{"Action", 3.5}, {"Done", 2.5}, {"Reference", 1.5}}, {}};
  for (const auto& action : incidentActions()) {
    std::string done;
    std::string references;
    for (const auto& tick : incident.ticks) {
      if (tick.action != action.name) continue;
      done += (done.empty() ? "" : "; ") + times.time(tick.tickedAt) + " by " + tick.tickedBy;
      if (!tick.reference.empty()) references += (references.empty() ? "" : "; ") + tick.reference;
    }
    table.rows.push_back(
        {std::string(action.label), done.empty() ? "not recorded" : done, references});
  }
  pdf.table(table);
}

void sharingSection(PdfDocument& pdf, const Incident& incident, const LocalTimes& times) {
  pdf.heading("Information sharing (appendix 1, rule 7)");
  if (incident.sharing.empty()) return pdf.note("No decision about sharing has been recorded.");
  PdfTable table{{{"Decided", 1.8},
                  {"Decision", 1.4},
                  {"What", 2},
                  {"With whom", 1.5},
                  {"Purpose", 1.5},
                  {"Lawful basis or consent", 1.5},
                  {"Why", 2}},
                 {}};
  for (const auto& decision : incident.sharing) {
    table.rows.push_back({times.time(decision.decidedAt) + " by " + decision.decidedBy,
                          decision.shared ? "Shared" : "Not shared", decision.what,
                          decision.withWhom, decision.purpose, decision.lawfulBasis,
                          decision.reason});
  }
  pdf.table(table);
}

}  // namespace

std::string renderIncidentPdf(const Incident& incident, const std::string& timeZone,
                              Timestamp printedAt) {
  const LocalTimes times(timeZone);
  const auto number = "Incident " + std::to_string(incident.summary.id);
  return PdfDocument::render(number,
                             "Confidential · " + number + " · printed " + times.time(printedAt) +
                                 " (" + times.zoneName() + ")",
                             [&](PdfDocument& pdf) {
                               pdf.title(number + ": " + incident.summary.title);
                               overviewSection(pdf, incident, times);
                               chronologySection(pdf, incident, times);
                               checklistSection(pdf, incident, times);
                               sharingSection(pdf, incident, times);
                               pdf.heading("Outcome and lessons learnt");
                               if (!incident.closure)
                                 return pdf.note("The incident is still open.");
                               pdf.paragraph("Outcome: " + incident.closure->outcome);
                               pdf.paragraph("Lessons learnt: " + incident.closure->lessonsLearnt);
                             });
}

}  // namespace clubsafe::collector
