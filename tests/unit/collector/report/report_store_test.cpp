// The record of checks, frozen sign-offs and the report's period records on a real database.
#include "collector/storage/sqlite_query.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector::store_test {
namespace {

class ReportStoreTest : public StoreTest {
 protected:
  SqliteDatabase& database() { return test_.sqlite.database(); }

  std::int64_t auditRows(const std::string& action) {
    return database().read("count", [&](Poco::Data::Session& session) {
      return sqlite::query<Poco::Int64>(session, "SELECT COUNT(*) FROM audit_log WHERE action = ?",
                                        action)
          .at(0);
    });
  }

  static common::Event override(std::int64_t sequence, Timestamp time, const std::string& worker) {
    common::Event event;
    event.sequence = sequence;
    event.time = time;
    event.type = common::EventType::Override;
    event.payload->set("scope", "domain");
    event.payload->set("target", "bbc.co.uk");
    event.payload->set("minutes", 30);
    event.payload->set("reason", "Homework on the news");
    event.payload->set("worker", worker);
    return event;
  }

  static common::Event worry(std::int64_t sequence, Timestamp time) {
    common::Event event;
    event.sequence = sequence;
    event.time = time;
    event.type = common::EventType::WorryReport;
    event.payload->set("about", "someone online");
    event.payload->set("message", "private words");
    return event;
  }
};

CheckRecord check(Timestamp at, const std::string& what) {
  return {.id = 0,
          .checkedAt = at,
          .checkedBy = "Siân Evans",
          .what = what,
          .actions = "",
          .recordedBy = "alice",
          .recordedAt = kNow};
}

TEST_F(ReportStoreTest, ChecksAreListedForTheirPeriodWithTheirAuditEntry) {
  const auto first =
      stores().reports.recordCheck(check(kNow - 48h, "Self-tests"), audit("report.check"));
  stores().reports.recordCheck(check(kNow - 1h, "Laptops reporting"), audit("report.check"));
  stores().reports.recordCheck(check(kNow, "Outside the period"), audit("report.check"));
  EXPECT_GT(first, 0);
  EXPECT_EQ(auditRows("report.check"), 3);

  const auto checks = stores().reports.checksBetween(kNow - 72h, kNow);
  ASSERT_EQ(checks.size(), 2U);
  EXPECT_EQ(checks[0].id, first);
  EXPECT_EQ(checks[0].what, "Self-tests");
  EXPECT_EQ(checks[0].checkedBy, "Siân Evans");
  EXPECT_EQ(checks[0].checkedAt, kNow - 48h);
  EXPECT_EQ(checks[1].what, "Laptops reporting");
}

TEST_F(ReportStoreTest, ASignOffKeepsItsBytesExactlyAndCannotBeChangedOrDeleted) {
  std::string pdf = "%PDF-1.5\n";
  pdf += std::string("\0\x01\xff binary", 10);
  const FrozenReport frozen{.from = kNow - 720h,
                            .to = kNow,
                            .signOff = {.name = "Siân Evans",
                                        .role = "Youth work manager",
                                        .notes = "All well",
                                        .signedAt = kNow,
                                        .signedBy = "alice"},
                            .json = R"({"club_name":"Westgate"})",
                            .pdf = pdf};
  const auto id = stores().reports.signOff(frozen, audit("report.sign_off"));
  stores().reports.recordCheck(check(kNow - 1h, "Self-tests"), audit("report.check"));

  EXPECT_EQ(stores().reports.signedPdf(id), pdf);
  EXPECT_EQ(stores().reports.signedJson(id), frozen.json);
  const auto listed = stores().reports.listSignOffs();
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].pdfSha256, common::sha256Hex(pdf));
  EXPECT_EQ(listed[0].pdfBytes, static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(listed[0].signOff.name, "Siân Evans");
  EXPECT_EQ(listed[0].from, kNow - 720h);
  EXPECT_EQ(auditRows("report.sign_off"), 1);
  EXPECT_FALSE(stores().reports.signedPdf(id + 1));
  EXPECT_FALSE(stores().reports.findSignOff(id + 1));

  for (const char* change : {"UPDATE report_sign_offs SET report_pdf = x'00'",
                             "UPDATE report_sign_offs SET notes = 'changed'",
                             "DELETE FROM report_sign_offs", "DELETE FROM report_checks"}) {
    EXPECT_THROW(
        database().write("change a signed report",
                         [&](Poco::Data::Session& session) { sqlite::execute(session, change); }),
        std::runtime_error)
        << change;
  }
  EXPECT_EQ(stores().reports.signedPdf(id), pdf);
  EXPECT_EQ(stores().reports.findSignOff(id)->signOff.notes, "All well");
}

TEST_F(ReportStoreTest, PeriodRecordsHoldOverridesWorriesAndChangesButNoSignIns) {
  enrol("dev_a");
  (void)stores().events.storeEvents(
      batchOf("dev_a", 0,
              {override(1, kNow - 2h, "Zoë"), override(2, kNow + 1h, "Later"), worry(3, kNow - 3h),
               worry(4, kNow - 1h), worry(5, kNow + 1h)}),
      kNow);
  stores().audit.recordAudit({kNow - 1h, "alice", "console.login", "", ""});
  stores().audit.recordAudit({kNow - 1h, "alice", "profile.update", "junior", "", "Homework"});
  stores().reports.recordCheck(check(kNow - 1h, "Self-tests"), audit("report.check"));
  database().write("decide", [](Poco::Data::Session& session) {
    sqlite::execute(session,
                    "INSERT INTO review_decisions (decided_at, decided_by, domain, category, "
                    "verdict, scope, until, holds, reason) VALUES (?, 'alice', 'wikipedia.org', "
                    "'', 'allow', '*', NULL, '[]', 'Needed for homework')",
                    sqlite::text(kNow - 30min));
  });

  const auto records = stores().reportRecords.periodRecords(kNow - 24h, kNow, 100);
  ASSERT_EQ(records.overrides.size(), 1U);
  EXPECT_EQ(records.overrides[0].worker, "Zoë");
  EXPECT_EQ(records.overrides[0].laptop, "Laptop dev_a");
  EXPECT_EQ(records.overrides[0].target, "bbc.co.uk");
  EXPECT_EQ(records.overrides[0].minutes, 30);
  EXPECT_EQ(records.overrides[0].reason, "Homework on the news");
  EXPECT_EQ(records.worries, 2);
  ASSERT_EQ(records.decisions.size(), 1U);
  EXPECT_EQ(records.decisions[0].domain, "wikipedia.org");
  EXPECT_FALSE(records.decisions[0].until);
  ASSERT_EQ(records.checks.size(), 1U);
  // The profile change; not the sign-in, nor the check's own entry, nor the enrolment token
  // made at kNow, the end of the period.
  std::vector<std::string> actions;
  for (const auto& change : records.changes) actions.push_back(change.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"profile.update"}));
  EXPECT_EQ(records.changes.back().reason, "Homework");
}

}  // namespace
}  // namespace clubsafe::collector::store_test
