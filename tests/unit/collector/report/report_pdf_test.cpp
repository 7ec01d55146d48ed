// The audit report's PDF, read back with pdftotext (poppler-utils) when it is installed.
#include "collector/report/report_pdf.hpp"
#include "collector/report/report_json.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/collector/report/pdf_text.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

namespace clubsafe::collector {
namespace {

using pdf_text::havePdfToText;
using pdf_text::pdfText;
using testing::at;

AuditReport sampleReport() {
  AuditReport report;
  report.clubName = "Westgate Youth Project";
  report.timeZone = "Europe/London";
  report.from = at("2026-10-01T00:00:00.000Z") - std::chrono::hours(1);  // local midnight
  report.to = at("2026-11-01T00:00:00.000Z");
  report.generatedAt = at("2026-11-02T10:00:00.000Z");
  report.coverage = {{"Laptop 1", at("2026-10-31T20:00:00.000Z"), 37, 4321, false},
                     {"Laptop Ольга", std::nullopt, 0, 0, true}};
  report.selfTests = {{"Laptop 1", 47, 3}};
  report.blocks = {{"agressif", "Violence and aggression", 1234}};
  report.overrides = {{at("2026-10-14T18:30:00.000Z"), "Laptop 1", "Zoë Ní Bhriain", "domain",
                       "bbc.co.uk", 30, "Homework on the news"}};
  report.reviewDecisions = {{at("2026-10-20T19:00:00.000Z"), "manager", "wikipedia.org", "allow",
                             "*", std::nullopt, "Needed for homework"}};
  report.newApps = {{"Minecraft", at("2026-10-05T18:10:00.000Z"), 95}};
  report.incidents = {.alerts = 2, .worries = 1, .tamper = 0, .overrides = 1, .reviewRequests = 5};
  report.notices = {.acknowledged = 88, .notAcknowledged = 4};
  report.policyChanges = {{at("2026-10-20T19:00:00.000Z"), "manager", "policy.publish", "9",
                           "allow wikipedia.org", "Needed for homework"}};
  report.checks = {{1, at("2026-10-30T19:00:00.000Z"), "Siân Evans", "Self-test results",
                    "Laptop 1's failure reported to the supplier", "manager",
                    at("2026-10-30T19:05:00.000Z")}};
  return report;
}

TEST(ReportPdfTest, IsAPdfWithEveryFigureAndNameAsText) {
  const auto pdf = renderReportPdf(sampleReport());
  ASSERT_GT(pdf.size(), 1000U);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  if (!havePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";

  const testing::TempDir dir;
  const auto text = pdfText(dir, pdf);
  for (const char* expected :
       {"Online safety audit: Westgate Youth Project", "Thu 1 Oct 2026 to Sat 31 Oct 2026",
        "Europe/London", "Laptop Ольга (revoked)", "4321", "94%", "Violence and aggression", "1234",
        "Zoë Ní", "Homework on the news", "Allowed", "Minecraft", "Safeguarding alerts", "88",
        "policy.publish", "Siân Evans", "supplier", "Not signed off", "Page 1 of "}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  // Local times: 18:30 UTC in October is 19:30 in London (summer time); the cell wraps.
  EXPECT_NE(text.find("Wed 14 Oct 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("19:30"), std::string::npos) << text;
  EXPECT_EQ(text.find("18:30"), std::string::npos) << text;
}

TEST(ReportPdfTest, LongTablesBreakAcrossPagesWithNumberedPages) {
  auto report = sampleReport();
  for (int i = 2; i <= 300; ++i) {
    report.checks.push_back({i, at("2026-10-30T19:00:00.000Z"), "Siân Evans",
                             "Check number " + std::to_string(i), "", "manager",
                             at("2026-10-30T19:05:00.000Z")});
  }
  report.signOff = ReportSignOff{.name = "Siân Evans",
                                 .role = "Youth work manager",
                                 .notes = "All laptops reporting.",
                                 .signedAt = at("2026-11-02T10:00:00.000Z"),
                                 .signedBy = "manager"};
  const auto pdf = renderReportPdf(report);
  if (!havePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const testing::TempDir dir;
  const auto text = pdfText(dir, pdf);
  EXPECT_NE(text.find("Check number 300"), std::string::npos);
  EXPECT_NE(text.find("Youth work manager"), std::string::npos);
  EXPECT_EQ(text.find("Not signed off"), std::string::npos);
  // The pages are counted before they are drawn: the last says it is the last.
  const auto last = text.rfind("Page ");
  ASSERT_NE(last, std::string::npos);
  int page = 0;
  int pages = 0;
  ASSERT_EQ(std::sscanf(text.c_str() + last, "Page %d of %d", &page, &pages), 2);
  EXPECT_GT(pages, 3);
  EXPECT_EQ(page, pages);
  // The table's headings are drawn again on every page it runs onto.
  std::size_t headings = 0;
  for (auto at = text.find("What was checked"); at != std::string::npos;
       at = text.find("What was checked", at + 1)) {
    ++headings;
  }
  EXPECT_GE(headings, static_cast<std::size_t>(pages - 1));
}

TEST(ReportPdfTest, TextFromLaptopsIsNeverMarkup) {
  auto report = sampleReport();
  report.overrides.front().reason = "<b>bold</b> & <span foreground=\"red\">x</span>";
  report.newApps.front().app = std::string(10 * 1024, 'A');
  const auto pdf = renderReportPdf(report);
  if (!havePdfToText()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const testing::TempDir dir;
  const auto text = pdfText(dir, pdf);
  EXPECT_NE(text.find("<b>bold</b> &"), std::string::npos) << text;
}

TEST(ReportJsonTest, HoldsTheFiguresAndTheSignOff) {
  auto report = sampleReport();
  report.signOff = ReportSignOff{.name = "Siân Evans",
                                 .role = "Youth work manager",
                                 .notes = "",
                                 .signedAt = at("2026-11-02T10:00:00.000Z"),
                                 .signedBy = "manager"};
  const auto json =
      Poco::JSON::Parser().parse(reportJsonText(report)).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(json->getValue<std::string>("club_name"), "Westgate Youth Project");
  EXPECT_EQ(json->getValue<std::string>("from"), "2026-09-30T23:00:00.000Z");
  const auto selfTest = json->getArray("self_tests")->getObject(0);
  EXPECT_EQ(selfTest->getValue<int>("pass_rate"), 94);
  EXPECT_EQ(json->getObject("incidents")->getValue<int>("alerts"), 2);
  EXPECT_EQ(json->getObject("sign_off")->getValue<std::string>("name"), "Siân Evans");
  EXPECT_EQ(json->getArray("overrides")->getObject(0)->getValue<std::string>("worker"),
            "Zoë Ní Bhriain");
}

}  // namespace
}  // namespace clubsafe::collector
