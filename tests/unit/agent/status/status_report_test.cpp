#include "agent/status/status_report.hpp"

#include "agent/enrolment/credentials.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/policy/policy_files.hpp"
#include "common/policy.hpp"
#include "common/time.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::status {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DescribeAgeTest, UsesTheLargestWholeUnit) {
  EXPECT_EQ(describeAge(seconds(1)), "1 second");
  EXPECT_EQ(describeAge(seconds(59)), "59 seconds");
  EXPECT_EQ(describeAge(minutes(3)), "3 minutes");
  EXPECT_EQ(describeAge(std::chrono::hours(5)), "5 hours");
  EXPECT_EQ(describeAge(std::chrono::hours(24 * 3)), "3 days");
  EXPECT_EQ(describeAge(seconds(-5)), "0 seconds");
}

TEST(StatusReportTest, SaysWhenTheLaptopIsNotEnrolledAndHasNoOutbox) {
  clubsafe::testing::TempDir dir;
  const auto report = statusReport(dir.path().string(), common::nowUtc());
  EXPECT_TRUE(contains(report, "Enrolled: no")) << report;
  EXPECT_TRUE(contains(report, "none")) << report;
}

TEST(StatusReportTest, ShowsDeviceQueueLastUploadAndLastErrorButNoSecret) {
  clubsafe::testing::TempDir dir;
  const auto stateDir = dir.path().string();
  enrolment::Credentials credentials;
  credentials.serverUrl = "https://club-server:8443";
  credentials.deviceId = "dev_123";
  credentials.deviceSecret = "the-device-secret";
  credentials.fingerprint = std::string(64, 'c');
  enrolment::writeCredentials(enrolment::credentialsPath(stateDir), credentials);

  const auto now = common::nowUtc();
  {
    outbox::Outbox outbox(outbox::outboxPath(stateDir), outbox::Outbox::Access::ReadWrite);
    for (int i = 0; i < 3; ++i) {
      common::Event event;
      event.time = now - minutes(10 - i);
      event.payload->set("uptime_seconds", 1);
      event.payload->set("queue_depth", 0);
      event.payload->set("agent_version", "test");
      ASSERT_TRUE(outbox.append(event).ok());
    }
    ASSERT_TRUE(outbox.setMeta(outbox::kLastUploadSuccess,
                               common::formatTimestamp(now - minutes(20))).ok());
    ASSERT_TRUE(outbox.setMeta(outbox::kLastError, "Cannot reach the collector.").ok());
    ASSERT_TRUE(outbox.setMeta(outbox::kLastErrorTime,
                               common::formatTimestamp(now - seconds(30))).ok());
  }

  const auto report = statusReport(stateDir, now);
  EXPECT_TRUE(contains(report, "Enrolled: yes, as device dev_123")) << report;
  EXPECT_TRUE(contains(report, "https://club-server:8443")) << report;
  EXPECT_TRUE(contains(report, "Events waiting to be sent: 3, the oldest recorded")) << report;
  EXPECT_TRUE(contains(report, "10 minutes ago")) << report;
  EXPECT_TRUE(contains(report, "Last successful upload: ")) << report;
  EXPECT_TRUE(contains(report, "20 minutes ago")) << report;
  EXPECT_TRUE(contains(report, "30 seconds ago): Cannot reach the collector.")) << report;
  EXPECT_FALSE(contains(report, "the-device-secret")) << report;
}

TEST(StatusReportTest, NamesThePolicyVersionAndProfileInForce) {
  clubsafe::testing::TempDir dir;
  const auto stateDir = dir.path().string();
  EXPECT_TRUE(contains(statusReport(stateDir, common::nowUtc()),
                       "Filtering policy: none from the collector yet; the built-in profile"));

  common::Profile juniors;
  juniors.id = "juniors";
  juniors.name = "Juniors (8 to 12)";
  common::Policy policy;
  policy.version = 12;
  policy.defaultProfile = "juniors";
  policy.profiles = {juniors};
  std::ofstream(policy::policyPath(stateDir)) << common::serialisePolicy(policy);
  auto report = statusReport(stateDir, common::nowUtc());
  EXPECT_TRUE(contains(report, "Filtering policy: version 12 from the collector; profile "
                               "\"juniors\" (Juniors (8 to 12)) applies when nobody has signed "
                               "in; no filter lists imported yet."))
      << report;

  std::ofstream(policy::policyPath(stateDir)) << R"({"format": 1})";
  report = statusReport(stateDir, common::nowUtc());
  EXPECT_TRUE(contains(report, "is broken (document: missing field")) << report;
}

}  // namespace
}  // namespace clubsafe::agent::status
