#include "agent/notices/report_limiter.hpp"

#include "agent/notices/notice_events.hpp"
#include "common/batch_codec.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace clubsafe::agent::notices {
namespace {

using namespace std::chrono_literals;
using common::EventType;

class ReportLimiterTest : public ::testing::Test {
 protected:
  ReportLimits limits() {
    ReportLimits result;
    result.window = 10min;
    result.worryReports = 3;
    result.reviewRequests = 2;
    result.acknowledgements = 1;
    result.clock = [this] { return now_; };
    return result;
  }

  // The events waiting in the outbox, taken out of it.
  std::vector<common::Event> taken() {
    std::vector<common::Event> events;
    std::vector<std::int64_t> sequences;
    for (const auto& pending : outbox_.nextBatch(1000)) {
      events.push_back(common::decodeEvent(pending.encoded));
      sequences.push_back(pending.sequence);
    }
    EXPECT_TRUE(outbox_.remove(sequences).ok());
    return events;
  }

  static std::int64_t countOf(const common::Event& event) {
    return event.payload->has("count") ? event.payload->getValue<Poco::Int64>("count") : 1;
  }

  clubsafe::testing::TempDir dir_;
  outbox::Outbox outbox_{dir_.file("outbox.db"), outbox::Outbox::Access::ReadWrite};
  common::Timestamp now_{std::chrono::seconds(1'800'000'000)};
};

TEST_F(ReportLimiterTest, TheFirstOfAWindowGoAtOnceAndTheRestAsOneEventWithTheirCount) {
  ReportLimiter limiter(outbox_, limits());
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(
        limiter.submit(worryReportEvent("kid", "bullying", "worry " + std::to_string(i))).ok());
  }
  EXPECT_EQ(taken().size(), 3u);
  EXPECT_EQ(limiter.flush(), 0u);  // the window has not ended
  now_ += 10min;
  EXPECT_EQ(limiter.flush(), 1u);
  const auto folded = taken();
  ASSERT_EQ(folded.size(), 1u);
  EXPECT_EQ(folded[0].type, EventType::WorryReport);
  EXPECT_EQ(folded[0].osUser, "kid");
  EXPECT_EQ(countOf(folded[0]), 197);
  EXPECT_EQ(folded[0].payload->getValue<std::string>("message"), "worry 199");  // the latest
  // A new window: the next worry goes at once again.
  EXPECT_TRUE(limiter.submit(worryReportEvent("kid", "bullying", "later")).ok());
  EXPECT_EQ(taken().size(), 1u);
}

TEST_F(ReportLimiterTest, EachAccountAndKindHasItsOwnAllowance) {
  ReportLimiter limiter(outbox_, limits());
  for (int i = 0; i < 5; ++i) {
    (void)limiter.submit(worryReportEvent("flooder", "other", "spam"));
    (void)limiter.submit(reviewRequestEvent("flooder", "casino.test", "gambling", ""));
    (void)limiter.submit(noticeAcknowledgedEvent("flooder", true, "v1"));
  }
  (void)limiter.submit(worryReportEvent("someone-else", "someone_online", "help"));
  (void)limiter.submit(blockNoticeEvent("flooder", "casino.test", "gambling"));  // not limited
  std::map<std::pair<std::string, EventType>, int> counts;
  for (const auto& event : taken()) ++counts[{event.osUser, event.type}];
  EXPECT_EQ((counts[{"flooder", EventType::WorryReport}]), 3);
  EXPECT_EQ((counts[{"flooder", EventType::ReviewRequest}]), 2);
  EXPECT_EQ((counts[{"flooder", EventType::NoticeAcknowledged}]), 1);
  EXPECT_EQ((counts[{"someone-else", EventType::WorryReport}]), 1);
  EXPECT_EQ((counts[{"flooder", EventType::BlockNotice}]), 1);
  // At the end every kind's extras come, one event each, counted: nothing lost uncounted.
  EXPECT_EQ(limiter.flush(true), 3u);
  std::map<EventType, std::int64_t> folded;
  for (const auto& event : taken()) folded[event.type] += countOf(event);
  EXPECT_EQ(folded, (std::map<EventType, std::int64_t>{{EventType::NoticeAcknowledged, 4},
                                                       {EventType::ReviewRequest, 3},
                                                       {EventType::WorryReport, 2}}));
}

TEST_F(ReportLimiterTest, AReportAfterTheWindowEndedBringsTheFoldedOnesFirst) {
  ReportLimiter limiter(outbox_, limits());
  for (int i = 0; i < 5; ++i) (void)limiter.submit(worryReportEvent("kid", "other", "x"));
  (void)taken();
  now_ += 11min;
  (void)limiter.submit(worryReportEvent("kid", "other", "new"));
  const auto events = taken();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(countOf(events[0]), 2);
  EXPECT_EQ(events[1].payload->getValue<std::string>("message"), "new");
}

TEST_F(ReportLimiterTest, RunWritesWhatIsStillFoldedWhenStopped) {
  ReportLimiter limiter(outbox_, limits());
  std::thread running([&] { limiter.run(); });
  for (int i = 0; i < 4; ++i) (void)limiter.submit(worryReportEvent("kid", "other", "x"));
  limiter.stop();
  running.join();
  std::int64_t total = 0;
  for (const auto& event : taken()) total += countOf(event);
  EXPECT_EQ(total, 4);
}

}  // namespace
}  // namespace clubsafe::agent::notices
