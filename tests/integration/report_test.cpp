// The audit report against the real collector (SPEC C10): events sent through the real device
// API, a check recorded and the report signed off in the console API; the signed PDF fetched
// back is the one whose SHA-256 the database holds, and stays so when more happens later.
#include "common/crypto.hpp"
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::testing {
namespace {

using common::EventType;
using namespace std::chrono;

constexpr const char* kPdfToText = "/usr/bin/pdftotext";

// A date as the report's API takes it, `offset` days from today (UTC).
std::string dayFromToday(int offset) {
  const year_month_day day(floor<days>(system_clock::now()) + days(offset));
  const auto two = [](unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); };
  return std::to_string(static_cast<int>(day.year())) + "-" +
         two(static_cast<unsigned>(day.month())) + "-" + two(static_cast<unsigned>(day.day()));
}

class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    console_ = std::make_unique<ConsoleClient>(collector_);
  }

  // A youth worker's unlock, `ago` before now.
  void sendOverride(const std::string& worker, const std::string& reason, minutes ago) {
    common::Event event;
    event.deviceId = agent_.deviceId();
    event.sequence = ++sequence_;
    event.time = common::nowUtc() - ago;
    event.type = EventType::Override;
    event.osUser = "club";
    event.payload->set("scope", "domain");
    event.payload->set("target", "bbc.co.uk");
    event.payload->set("minutes", 30);
    event.payload->set("reason", reason);
    event.payload->set("worker", worker);
    const auto answer = agent_.sendEvents(collector_, {event});
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  HttpResult recordCheck(const std::string& who, const std::string& what, minutes ago) {
    Poco::JSON::Object check;
    check.set("checked_at", common::formatTimestamp(common::nowUtc() - ago));
    check.set("checked_by", who);
    check.set("what", what);
    check.set("actions", "None needed");
    return console_->post("/api/console/report/checks", toJson(check));
  }

  [[nodiscard]] std::string period() const {
    return "from=" + dayFromToday(-2) + "&to=" + dayFromToday(1);
  }

  Poco::JSON::Object::Ptr preview() {
    const auto answer = console_->get("/api/console/report?" + period());
    EXPECT_EQ(answer.status, 200) << answer.body;
    return parseObject(answer.body)->getObject("report");
  }

  std::string pdfText(const std::string& pdf) {
    const auto file = dir_.file("signed.pdf");
    std::ofstream(file, std::ios::binary) << pdf;
    return runCommand(kPdfToText, {"-enc", "UTF-8", file, "-"}).output;
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> console_;
  std::int64_t sequence_ = 0;
};

TEST_F(Report, SignedOffPdfIsTheStoredOneAndLaterChangesLeaveItAlone) {
  sendOverride("Zoë Ní Bhriain", "Homework on the news", 60min);
  ASSERT_EQ(recordCheck("Siân Evans", "Self-test results on every laptop", 30min).status, 201);

  const auto before = preview();
  ASSERT_EQ(before->getArray("overrides")->size(), 1U);
  EXPECT_EQ(before->getArray("overrides")->getObject(0)->getValue<std::string>("worker"),
            "Zoë Ní Bhriain");
  ASSERT_EQ(before->getArray("checks")->size(), 1U);
  ASSERT_EQ(before->getArray("coverage")->size(), 1U);

  Poco::JSON::Object signOff;
  signOff.set("from", dayFromToday(-2));
  signOff.set("to", dayFromToday(1));
  signOff.set("name", "Siân Evans");
  signOff.set("role", "Youth work manager");
  signOff.set("notes", "Every laptop reported; no action needed.");
  const auto signed_ = console_->post("/api/console/report/sign-offs", toJson(signOff));
  ASSERT_EQ(signed_.status, 201) << signed_.body;
  const auto answer = parseObject(signed_.body);
  const auto id = answer->getValue<std::int64_t>("id");
  const auto sha256 = answer->getValue<std::string>("pdf_sha256");

  const auto pdfPath = "/api/console/report/sign-offs/" + std::to_string(id) + "/pdf";
  const auto pdf = console_->get(pdfPath);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.at("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_EQ(common::sha256Hex(pdf.body), sha256);
  const auto stored = queryDatabase(collector_.database(),
                                    "SELECT pdf_sha256, length(report_pdf) FROM report_sign_offs");
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0][0], sha256);
  EXPECT_EQ(stored[0][1], std::to_string(pdf.body.size()));
  const auto audit = queryDatabase(collector_.database(),
                                   "SELECT actor, target, detail FROM audit_log "
                                   "WHERE action = 'report.sign_off'");
  ASSERT_EQ(audit.size(), 1U);
  EXPECT_EQ(audit[0][1], std::to_string(id));
  EXPECT_NE(audit[0][2].find(sha256), std::string::npos);

  if (std::ifstream(kPdfToText).good()) {
    const auto text = pdfText(pdf.body);
    for (const char* expected : {"Siân Evans", "Youth work manager", "Zoë Ní", "Homework on the",
                                 "Self-test results on every laptop"}) {
      EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    }
  }

  // Later: another unlock and another check. The report for the period changes; the signed
  // copy does not.
  sendOverride("Later Worker", "After the sign-off", 10min);
  ASSERT_EQ(recordCheck("Siân Evans", "A check after the sign-off", 5min).status, 201);
  const auto after = preview();
  EXPECT_EQ(after->getArray("overrides")->size(), 2U);
  EXPECT_EQ(after->getArray("checks")->size(), 2U);

  const auto again = console_->get(pdfPath);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, pdf.body);
  const auto json = console_->get("/api/console/report/sign-offs/" + std::to_string(id) + "/json");
  ASSERT_EQ(json.status, 200);
  const auto frozen = parseObject(json.body);
  EXPECT_EQ(frozen->getArray("overrides")->size(), 1U);
  EXPECT_EQ(frozen->getArray("checks")->size(), 1U);
  EXPECT_EQ(frozen->getObject("sign_off")->getValue<std::string>("name"), "Siân Evans");

  const auto list = parseObject(console_->get("/api/console/report/sign-offs").body);
  ASSERT_EQ(list->getArray("sign_offs")->size(), 1U);
  EXPECT_EQ(list->getArray("sign_offs")->getObject(0)->getValue<std::string>("pdf_sha256"), sha256);
}

TEST_F(Report, BadRequestsChangeNothing) {
  Poco::JSON::Object noName;
  noName.set("from", dayFromToday(-2));
  noName.set("to", dayFromToday(1));
  noName.set("name", "   ");
  noName.set("role", "Youth work manager");
  EXPECT_EQ(console_->post("/api/console/report/sign-offs", toJson(noName)).status, 400);
  Poco::JSON::Object backwards = noName;
  backwards.set("name", "Siân");
  backwards.set("from", dayFromToday(1));
  backwards.set("to", dayFromToday(-2));
  EXPECT_EQ(console_->post("/api/console/report/sign-offs", toJson(backwards)).status, 400);
  EXPECT_EQ(console_->get("/api/console/report?from=2026-02-30&to=2026-03-01").status, 400);
  EXPECT_EQ(console_->get("/api/console/report?from=2020-01-01&to=2026-01-01").status, 400);
  EXPECT_EQ(recordCheck("Siân", "A check in the future", -24h).status, 400);
  EXPECT_EQ(console_->get("/api/console/report/sign-offs/99/pdf").status, 404);
  EXPECT_TRUE(queryDatabase(collector_.database(), "SELECT id FROM report_sign_offs").empty());
  EXPECT_TRUE(queryDatabase(collector_.database(), "SELECT id FROM report_checks").empty());

  // Without a session, nothing.
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/console/report?" + period()).status, 401);
}

}  // namespace
}  // namespace clubsafe::testing
