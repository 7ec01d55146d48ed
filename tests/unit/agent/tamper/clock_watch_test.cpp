#include "agent/tamper/clock_watch.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace clubsafe::agent::tamper {
namespace {

using namespace std::chrono_literals;

// The operating-system seam: clocks a test moves by hand (the real pair is tested in
// tests/unit/agent/platform/clocks_test.cpp, and below without a jump).
class HandClocks : public platform::Clocks {
 public:
  [[nodiscard]] platform::ClockReading read() const override { return now; }
  void pass(std::chrono::nanoseconds time) {
    now.wall += time;
    now.sinceBoot += time;
  }
  platform::ClockReading now{std::chrono::nanoseconds(1'795'000'000'000'000'000), 3600s};
};

std::string detailOf(const std::optional<common::Event>& event) {
  EXPECT_TRUE(event.has_value());
  if (!event) return {};
  EXPECT_EQ(event->type, common::EventType::Tamper);
  EXPECT_EQ(event->payload->getValue<std::string>("kind"), "clock_jump");
  return event->payload->getValue<std::string>("detail");
}

class ClockWatchTest : public ::testing::Test {
 protected:
  HandClocks clocks_;
  ClockWatch watch_{clocks_, 120s};
};

TEST_F(ClockWatchTest, ClocksMovingTogetherIncludingThroughSuspendAreNoJump) {
  EXPECT_FALSE(watch_.check());
  clocks_.pass(30s);
  EXPECT_FALSE(watch_.check());
  clocks_.pass(8h);  // the lid closed overnight: the time since boot counts suspend too
  EXPECT_FALSE(watch_.check());
}

TEST_F(ClockWatchTest, TheWallClockSetForwardIsReportedOnceWithItsSize) {
  EXPECT_FALSE(watch_.check());
  clocks_.pass(30s);
  clocks_.now.wall += 1h;
  const auto detail = detailOf(watch_.check());
  EXPECT_NE(detail.find("set forward by 3600 s"), std::string::npos) << detail;
  EXPECT_NE(detail.find("2026-11-18T"), std::string::npos) << detail;  // what it read before
  clocks_.pass(30s);
  EXPECT_FALSE(watch_.check());
}

TEST_F(ClockWatchTest, TheWallClockSetBackIsReportedWithItsDirection) {
  EXPECT_FALSE(watch_.check());
  clocks_.pass(30s);
  clocks_.now.wall -= 10min;
  const auto detail = detailOf(watch_.check());
  EXPECT_NE(detail.find("set back by 600 s"), std::string::npos) << detail;
}

TEST_F(ClockWatchTest, SmallCorrectionsStayUnderTheThresholdAndNeverAddUp) {
  EXPECT_FALSE(watch_.check());
  for (int i = 0; i < 10; ++i) {
    clocks_.pass(30s);
    clocks_.now.wall += 119s;
    EXPECT_FALSE(watch_.check()) << i;
  }
  clocks_.pass(30s);
  clocks_.now.wall += 120s;
  EXPECT_TRUE(watch_.check());
}

TEST(ClockWatch, TheRealClocksShowNoJumpWhenNobodySetsTheClock) {
  const auto clocks = platform::makeClocks();
  ClockWatch watch(*clocks, 1s);
  EXPECT_FALSE(watch.check());
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(watch.check());
}

}  // namespace
}  // namespace clubsafe::agent::tamper
