// The incident summary's PDF, read back with pdftotext (poppler-utils) when it is installed.
#include "collector/report/incident_pdf.hpp"
#include "tests/unit/collector/report/pdf_text.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector {
namespace {

using pdf_text::havePdfToText;
using pdf_text::pdfText;
using testing::at;

const std::string kMarkup = "<b>bold</b> & <i>";

Incident sampleIncident() {
  Incident incident;
  incident.summary = {.id = 12,
                      .category = "cyberbullying",
                      .title = "Messages about Zoë " + kMarkup,
                      .openedBy = "dee",
                      .openedAt = at("2026-11-03T19:05:00.000Z"),
                      .closedAt = at("2026-11-20T18:00:00.000Z"),
                      .reviewDate = "2027-01-15",
                      .held = false};
  incident.involved = {.members = {"Zoë", "Ольга"},
                       .staff = {"Jo"},
                       .laptops = {"dev_a"},
                       .events = {{"dev_a", 4}},
                       .alerts = {7}};
  incident.closure = IncidentClosure{.outcome = "Resolved with both families",
                                     .lessonsLearnt = "Remind members how to report",
                                     .closedBy = "dee",
                                     .closedAt = at("2026-11-20T18:00:00.000Z")};
  incident.holdReleasedAt = at("2026-11-20T18:00:00.000Z");
  incident.holdReleaseReason = "the incident was closed";
  incident.chronology = {
      {1, at("2026-11-03T19:05:00.000Z"), "dee", "Told Jo " + kMarkup, {}, false},
      {2, at("2026-11-03T19:10:00.000Z"), "dee", "It was Tuesday", 1, false}};
  incident.ticks = {{1, "referral_ceop", "CEOP-123", "", "dee", at("2026-11-04T10:00:00.000Z")}};
  incident.sharing = {{1, false, "browsing history", "a parent", "they asked", "", "not necessary",
                       "dee", at("2026-11-05T10:00:00.000Z")}};
  return incident;
}

TEST(IncidentPdfTest, HoldsTheRecordAsTextInTheClubsTime) {
  const auto pdf =
      renderIncidentPdf(sampleIncident(), "Europe/London", at("2026-11-21T09:00:00.000Z"));
  ASSERT_GT(pdf.size(), 1000U);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  if (!havePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";

  const testing::TempDir dir;
  const auto text = pdfText(dir, pdf);
  for (const char* expected :
       {"Incident 12", "Cyberbullying", "Tue 3 Nov 2026 19:05", "Zoë, Ольга", "<b>bold</b> & <i>",
        "Correction of entry 1", "Report to CEOP", "CEOP-123", "Not shared", "a parent",
        "Resolved with both families", "Remind members how to report", "not recorded",
        "1 event, 1 alert", "Confidential"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
}

}  // namespace
}  // namespace clubsafe::collector
