#include "common/repeat_limit_sink.hpp"

#include <spdlog/sinks/ringbuffer_sink.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace clubsafe::common {
namespace {

using namespace std::chrono_literals;
using Time = spdlog::log_clock::time_point;

const Time kStart = Time(std::chrono::hours(24 * 365 * 56));

// A RepeatLimitSink over a ring buffer, with the time of each line and of the flush set by
// the test.
class RepeatLimitSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { makeSink({.linesPerWindow = 3, .window = 60s, .trackedLines = 4}); }

  void makeSink(RepeatLimit limit) {
    written_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
    sink_ = std::make_shared<RepeatLimitSink>(std::vector<spdlog::sink_ptr>{written_}, limit,
                                              [this] { return now_; });
    sink_->set_pattern("%l %v");
  }

  void log(const std::string& text, Time at,
           spdlog::level::level_enum level = spdlog::level::warn) {
    now_ = at;
    sink_->log(spdlog::details::log_msg(at, {}, "collector", level, text));
  }

  void flushAt(Time at) {
    now_ = at;
    sink_->flush();
  }

  std::vector<std::string> lines() const { return written_->last_formatted(); }

  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> written_;
  std::shared_ptr<RepeatLimitSink> sink_;
  Time now_ = kStart;
};

TEST_F(RepeatLimitSinkTest, ARepeatedLineIsWrittenAFewTimesThenCountedOnce) {
  for (int i = 0; i < 300; ++i) log("Refused a sign-in.", kStart + i * 100ms);
  EXPECT_EQ(lines().size(), 3U);
  flushAt(kStart + 59s);
  EXPECT_EQ(lines().size(), 3U);  // the window is still open
  flushAt(kStart + 62s);
  const std::vector<std::string> expected{
      "warning Refused a sign-in.\n", "warning Refused a sign-in.\n",
      "warning Refused a sign-in.\n",
      "warning Refused a sign-in. (repeated 297 more times in the last 62 s)\n"};
  EXPECT_EQ(lines(), expected);
}

TEST_F(RepeatLimitSinkTest, RepeatsInterleavedWithOtherLinesAreStillLimited) {
  for (int i = 0; i < 20; ++i) {
    log("Line A", kStart + i * 1s);
    log("Line B", kStart + i * 1s);
  }
  EXPECT_EQ(lines().size(), 6U);
  // The next line after the window ends closes it.
  log("Line C", kStart + 61s);
  const auto written = lines();
  ASSERT_EQ(written.size(), 9U);
  EXPECT_EQ(written[6], "warning Line A (repeated 17 more times in the last 61 s)\n");
  EXPECT_EQ(written[7], "warning Line B (repeated 17 more times in the last 61 s)\n");
  EXPECT_EQ(written[8], "warning Line C\n");
}

TEST_F(RepeatLimitSinkTest, TheSameTextAtAnotherLevelIsAnotherLine) {
  for (int i = 0; i < 5; ++i) {
    log("Same words", kStart, spdlog::level::info);
    log("Same words", kStart, spdlog::level::err);
  }
  EXPECT_EQ(lines().size(), 6U);
  flushAt(kStart + 60s);
  const auto written = lines();
  ASSERT_EQ(written.size(), 8U);
  EXPECT_EQ(written[6], "info Same words (repeated 2 more times in the last 60 s)\n");
  EXPECT_EQ(written[7], "error Same words (repeated 2 more times in the last 60 s)\n");
}

TEST_F(RepeatLimitSinkTest, AfterTheWindowTheLineIsWrittenAgain) {
  for (int i = 0; i < 3; ++i) log("Quiet line", kStart);
  log("Quiet line", kStart + 61s);
  flushAt(kStart + 200s);
  // Nothing was held back, so nothing is counted.
  EXPECT_EQ(lines().size(), 4U);
}

TEST_F(RepeatLimitSinkTest, ManyDifferentLinesCloseTheOldestWindowEarly) {
  for (int i = 0; i < 5; ++i) log("First", kStart);
  for (const auto* text : {"Second", "Third", "Fourth", "Fifth"}) log(text, kStart + 1s);
  const auto written = lines();
  ASSERT_EQ(written.size(), 8U);
  EXPECT_EQ(written[6], "warning First (repeated 2 more times in the last 1 s)\n");
  EXPECT_EQ(written[7], "warning Fifth\n");
  // Its window gone, the first line is written again.
  log("First", kStart + 2s);
  EXPECT_EQ(lines().size(), 9U);
}

}  // namespace
}  // namespace clubsafe::common
