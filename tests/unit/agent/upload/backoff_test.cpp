#include "agent/upload/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace clubsafe::agent::upload {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, EachWaitIsBetweenHalfAndAllOfAStepThatDoublesUpToTheMaximum) {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Backoff backoff(milliseconds(1000), milliseconds(5000), seed);
    const std::vector<std::int64_t> steps{1000, 2000, 4000, 5000, 5000};
    for (const auto step : steps) {
      const auto wait = backoff.next().count();
      EXPECT_GE(wait, step / 2);
      EXPECT_LE(wait, step);
    }
  }
}

TEST(BackoffTest, ResetStartsAgainFromTheInitialStep) {
  Backoff backoff(milliseconds(100), milliseconds(100'000), 7);
  for (int i = 0; i < 10; ++i) (void)backoff.next();
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 100);
}

TEST(BackoffTest, WaitsAreSpreadOutNotAllTheSame) {
  std::set<std::int64_t> seen;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    seen.insert(Backoff(milliseconds(1000), milliseconds(1000), seed).next().count());
  }
  EXPECT_GT(seen.size(), 10u);
}

}  // namespace
}  // namespace clubsafe::agent::upload
