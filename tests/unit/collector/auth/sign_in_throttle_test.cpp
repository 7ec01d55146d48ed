#include "collector/auth/sign_in_throttle.hpp"

#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <string>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

const common::Timestamp kNow = at("2026-11-24T20:00:00.000Z");
constexpr SignInThrottleSettings kSixAMinuteThreeAtOnce{
    .attemptsPerMinute = 6, .burst = 3, .trackedAddresses = 100};

void use(SignInThrottle& throttle, std::string_view address, int attempts, common::Timestamp now) {
  for (int i = 0; i < attempts; ++i) {
    ASSERT_TRUE(throttle.tryAttempt(address, now).allowed) << "attempt " << i + 1;
  }
}

TEST(SignInThrottle, ABurstThenRefusedUntilAnAttemptIsEarnedBack) {
  SignInThrottle throttle(kSixAMinuteThreeAtOnce);
  use(throttle, "192.0.2.1", 3, kNow);

  const auto refused = throttle.tryAttempt("192.0.2.1", kNow);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfter, 10s);  // six a minute: one every ten seconds
  const auto stillRefused = throttle.tryAttempt("192.0.2.1", kNow + 4s);
  EXPECT_FALSE(stillRefused.allowed);
  EXPECT_EQ(stillRefused.retryAfter, 6s);

  EXPECT_TRUE(throttle.tryAttempt("192.0.2.1", kNow + 10s).allowed);
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow + 10s).allowed);
  // A long pause gives back the burst, not more.
  use(throttle, "192.0.2.1", 3, kNow + 1h);
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow + 1h).allowed);
}

TEST(SignInThrottle, EachAddressHasItsOwnAllowance) {
  SignInThrottle throttle(kSixAMinuteThreeAtOnce);
  use(throttle, "192.0.2.1", 3, kNow);
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow).allowed);
  use(throttle, "192.0.2.2", 3, kNow);
}

TEST(SignInThrottle, AnIpv6NetworkSharesOneAllowance) {
  EXPECT_EQ(throttleKey("2001:db8:1:2:3:4:5:6"), "2001:0db8:0001:0002::/64");
  EXPECT_EQ(throttleKey("192.0.2.1"), "192.0.2.1");
  SignInThrottle throttle(kSixAMinuteThreeAtOnce);
  use(throttle, "2001:db8:1:2::1", 2, kNow);
  use(throttle, "2001:db8:1:2:ffff::9", 1, kNow);
  EXPECT_FALSE(throttle.tryAttempt("2001:db8:1:2::77", kNow).allowed);
  use(throttle, "2001:db8:1:3::1", 3, kNow);
}

TEST(SignInThrottle, AClockSetBackEarnsNothingAndTakesNothing) {
  SignInThrottle throttle(kSixAMinuteThreeAtOnce);
  use(throttle, "192.0.2.1", 3, kNow);
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow - 1h).allowed);
  // Earning starts again from the clock's new time.
  EXPECT_TRUE(throttle.tryAttempt("192.0.2.1", kNow - 1h + 10s).allowed);
}

TEST(SignInThrottle, RemembersOnlyAsManyAddressesAsAllowed) {
  SignInThrottle throttle(kSixAMinuteThreeAtOnce);
  for (int i = 0; i < 1000; ++i) {
    (void)throttle.tryAttempt("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                              kNow);
  }
  EXPECT_EQ(throttle.trackedAddresses(), 100U);
  // Addresses whose allowance is whole again are forgotten: they lose nothing by it.
  (void)throttle.tryAttempt("192.0.2.1", kNow + 1min);
  EXPECT_EQ(throttle.trackedAddresses(), 1U);
}

TEST(SignInThrottle, WhenFullTheLeastRecentlySeenAddressIsForgottenFirst) {
  SignInThrottle throttle({.attemptsPerMinute = 6, .burst = 3, .trackedAddresses = 2});
  use(throttle, "192.0.2.1", 3, kNow);
  use(throttle, "192.0.2.2", 3, kNow);
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow).allowed);  // now the most recently seen
  use(throttle, "192.0.2.3", 1, kNow);                           // pushes out 192.0.2.2
  EXPECT_FALSE(throttle.tryAttempt("192.0.2.1", kNow).allowed);
  EXPECT_EQ(throttle.trackedAddresses(), 2U);
  use(throttle, "192.0.2.2", 3, kNow);
}

}  // namespace
}  // namespace clubsafe::collector
