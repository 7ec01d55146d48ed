#pragma once

#include "common/event.hpp"
#include "common/recency_map.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace clubsafe::collector {

struct SignInThrottleSettings {
  int attemptsPerMinute = 10;             // how fast an address earns attempts back
  int burst = 10;                         // attempts an address may make one after another
  std::size_t trackedAddresses = 10'000;  // about 100 bytes each
};

struct ThrottleDecision {
  bool allowed = true;
  std::chrono::seconds retryAfter{0};  // when refused: until the address has an attempt again
};

// Console sign-in attempts per client address, a token bucket each: `burst` attempts at once,
// then `attemptsPerMinute`. It is asked before any password is hashed, so one computer cannot
// keep the server hashing. At most `trackedAddresses` are remembered: the least recently seen
// go first, which only ever gives an address more attempts, never fewer.
class SignInThrottle {
 public:
  explicit SignInThrottle(SignInThrottleSettings settings);

  // Uses one attempt of the address's allowance, or refuses when none is left.
  ThrottleDecision tryAttempt(std::string_view clientAddress, common::Timestamp now);

  [[nodiscard]] std::size_t trackedAddresses();

 private:
  struct Bucket {
    double attempts = 0;
    common::Timestamp updatedAt;
  };

  // The bucket's attempts at `now`: what it had plus what it earned since, up to the burst.
  [[nodiscard]] double attemptsAt(const Bucket& bucket, common::Timestamp now) const;
  void forgetFullBuckets(common::Timestamp now);

  SignInThrottleSettings settings_;
  std::mutex mutex_;
  common::RecencyMap<Bucket> buckets_;
};

// The key an address is counted under: an IPv6 address by its /64, as one home or host
// usually holds a whole /64; anything else as it is.
[[nodiscard]] std::string throttleKey(std::string_view clientAddress);

}  // namespace clubsafe::collector
