// The report built from a real database: figures from the hourly rollups, names and reasons
// from their rows, laptops from the devices.
#include "collector/report/report_builder.hpp"
#include "common/time.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

namespace clubsafe::collector::store_test {
namespace {

common::Event event(std::int64_t sequence, Timestamp time, common::EventType type) {
  common::Event made;
  made.sequence = sequence;
  made.time = time;
  made.type = type;
  made.member = "sam";
  return made;
}

class ReportBuilderTest : public StoreTest {
 protected:
  const Timestamp from_ = kNow - 24h;

  ReportBuilder builder() {
    return ReportBuilder(stores().devices, stores().filtering, stores().reportFigures,
                         stores().reportRecords, "Europe/London");
  }

  // Stores the batch as the device API does, rollups and all.
  void store(const std::string& deviceId, std::vector<common::Event> events) {
    (void)stores().events.storeEvents(batchOf(deviceId, 0, std::move(events)), kNow);
  }
};

common::Event selfTest(std::int64_t sequence, Timestamp time, bool passed) {
  auto made = event(sequence, time, common::EventType::FilterSelfTest);
  made.payload->set("passed", passed);
  made.payload->set("failures", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  return made;
}

common::Event blocked(std::int64_t sequence, Timestamp minute, const std::string& category,
                      int count) {
  auto made = event(sequence, minute, common::EventType::DnsDecision);
  made.payload->set("domain", "example-" + category + ".test");
  made.payload->set("action", "blocked");
  made.payload->set("category", category);
  made.payload->set("minute", common::formatTimestamp(minute));
  made.payload->set("count", count);
  return made;
}

common::Event appUsage(std::int64_t sequence, Timestamp started, const std::string& app,
                       int seconds) {
  auto made = event(sequence, started + std::chrono::seconds(seconds), common::EventType::AppUsage);
  made.payload->set("application", app);
  made.payload->set("seconds", seconds);
  made.payload->set("started", common::formatTimestamp(started));
  return made;
}

common::Event acknowledged(std::int64_t sequence, Timestamp time, bool yes) {
  auto made = event(sequence, time, common::EventType::NoticeAcknowledged);
  made.payload->set("acknowledged", yes);
  made.payload->set("notice_version", "v1");
  return made;
}

common::Event alert(std::int64_t sequence, Timestamp time) {
  auto made = event(sequence, time, common::EventType::SafeguardingAlert);
  made.payload->set("category", "self_harm");
  made.payload->set("severity", 4);
  made.payload->set("phrase", "private");
  made.payload->set("context", "private");
  made.payload->set("source", "search");
  return made;
}

common::Event override(std::int64_t sequence, Timestamp time) {
  auto made = event(sequence, time, common::EventType::Override);
  made.payload->set("scope", "domain");
  made.payload->set("target", "bbc.co.uk");
  made.payload->set("minutes", 30);
  made.payload->set("reason", "Homework on the news");
  made.payload->set("worker", "Zoë");
  return made;
}

TEST_F(ReportBuilderTest, FillsEverySectionForThePeriodOnly) {
  enrol("dev_a");
  enrol("dev_b");
  enrol("dev_c");
  ASSERT_TRUE(stores().devices.revokeDevice("dev_c", audit("device.revoke", "dev_c")));
  store("dev_a",
        {appUsage(1, kNow - 72h, "Old App", 600),  // before the period
         selfTest(2, kNow - 5h, true), selfTest(3, kNow - 4h, true), selfTest(4, kNow - 3h, false),
         blocked(5, kNow - 3h, "agressif", 7), blocked(6, kNow - 2h, "agressif", 3),
         blocked(7, kNow - 2h, "drogue", 20), appUsage(8, kNow - 2h, "Old App", 300),
         appUsage(9, kNow - 2h, "Minecraft", 1200), acknowledged(10, kNow - 2h, true),
         acknowledged(11, kNow - 2h, false), alert(12, kNow - 1h), override(13, kNow - 1h),
         selfTest(14, kNow + 1h, false)});  // after the period
  stores().reports.recordCheck({.id = 0,
                                .checkedAt = kNow - 1h,
                                .checkedBy = "Siân",
                                .what = "Self-tests",
                                .actions = "",
                                .recordedBy = "alice",
                                .recordedAt = kNow},
                               audit("report.check"));

  // To a minute after kNow, when the tokens were made and dev_c revoked.
  const auto report = builder().build(from_, kNow + 1min, kNow);
  EXPECT_EQ(report.timeZone, "Europe/London");
  EXPECT_EQ(report.from, from_);
  ASSERT_EQ(report.coverage.size(), 2U);  // dev_c is revoked and sent nothing
  EXPECT_EQ(report.coverage[0].laptop, "Laptop dev_a");
  EXPECT_EQ(report.coverage[0].events, 12);
  EXPECT_EQ(report.coverage[0].hoursReporting, 5);  // kNow-5h … kNow-1h
  EXPECT_EQ(report.coverage[1].laptop, "Laptop dev_b");
  EXPECT_EQ(report.coverage[1].events, 0);

  ASSERT_EQ(report.selfTests.size(), 1U);
  EXPECT_EQ(report.selfTests[0].passed, 2);
  EXPECT_EQ(report.selfTests[0].failed, 1);

  ASSERT_EQ(report.blocks.size(), 2U);
  EXPECT_EQ(report.blocks[0].category, "drogue");
  EXPECT_EQ(report.blocks[0].attempts, 20);
  EXPECT_NE(report.blocks[0].name, "drogue");  // the catalogue's English name
  EXPECT_EQ(report.blocks[1].attempts, 10);

  ASSERT_EQ(report.newApps.size(), 1U);
  EXPECT_EQ(report.newApps[0].app, "Minecraft");
  EXPECT_EQ(report.newApps[0].minutes, 20);

  EXPECT_EQ(report.notices.acknowledged, 1);
  EXPECT_EQ(report.notices.notAcknowledged, 1);
  EXPECT_EQ(report.incidents.alerts, 1);
  EXPECT_EQ(report.incidents.overrides, 1);
  ASSERT_EQ(report.overrides.size(), 1U);
  EXPECT_EQ(report.overrides[0].worker, "Zoë");
  ASSERT_EQ(report.checks.size(), 1U);
  EXPECT_EQ(report.checks[0].checkedBy, "Siân");
  ASSERT_EQ(report.policyChanges.size(), 4U);  // three enrolment tokens and the revocation
  EXPECT_EQ(report.policyChanges[0].action, "enrolment_token.create");
  EXPECT_EQ(report.policyChanges[3].action, "device.revoke");
}

TEST_F(ReportBuilderTest, AnEmptyPeriodHasEveryLaptopAndNoFigures) {
  enrol("dev_a");
  const auto report = builder().build(kNow - 24h * 365, kNow - 24h * 300, kNow);
  ASSERT_EQ(report.coverage.size(), 1U);
  EXPECT_EQ(report.coverage[0].hoursReporting, 0);
  EXPECT_TRUE(report.blocks.empty());
  EXPECT_TRUE(report.selfTests.empty());
  EXPECT_EQ(report.clubName, "our youth club");
}

}  // namespace
}  // namespace clubsafe::collector::store_test
