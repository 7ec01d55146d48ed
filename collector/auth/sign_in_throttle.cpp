#include "collector/auth/sign_in_throttle.hpp"

#include <Poco/Net/IPAddress.h>

#include <algorithm>
#include <cmath>

namespace clubsafe::collector {
namespace {

constexpr double kSecondsPerMinute = 60.0;
constexpr std::size_t kIpv6PrefixBytes = 8;  // a /64
constexpr std::string_view kHexDigits = "0123456789abcdef";

double secondsBetween(common::Timestamp earlier, common::Timestamp later) {
  // A wall clock set back earns nothing rather than taking attempts away.
  const auto elapsed = std::max(later - earlier, common::Timestamp::duration::zero());
  return std::chrono::duration<double>(elapsed).count();
}

}  // namespace

SignInThrottle::SignInThrottle(SignInThrottleSettings settings) : settings_(settings) {}

double SignInThrottle::attemptsAt(const Bucket& bucket, common::Timestamp now) const {
  const double earned =
      secondsBetween(bucket.updatedAt, now) * settings_.attemptsPerMinute / kSecondsPerMinute;
  return std::min(bucket.attempts + earned, static_cast<double>(settings_.burst));
}

void SignInThrottle::forgetFullBuckets(common::Timestamp now) {
  // A full bucket means what no bucket means. The least recently seen come first, and the first
  // one still short of full ends the sweep.
  while (const auto* oldest = buckets_.oldest()) {
    if (attemptsAt(oldest->second, now) < settings_.burst) return;
    buckets_.eraseOldest();
  }
}

ThrottleDecision SignInThrottle::tryAttempt(std::string_view clientAddress, common::Timestamp now) {
  const auto key = throttleKey(clientAddress);
  const std::lock_guard lock(mutex_);
  forgetFullBuckets(now);
  auto* bucket = buckets_.find(key);
  if (bucket == nullptr) {
    if (buckets_.size() >= settings_.trackedAddresses) buckets_.eraseOldest();
    bucket = &buckets_.addNewest(
        key, {.attempts = static_cast<double>(settings_.burst), .updatedAt = now});
  } else {
    bucket->attempts = attemptsAt(*bucket, now);
    bucket->updatedAt = now;
    buckets_.moveToNewest(key);
  }
  if (bucket->attempts >= 1.0) {
    bucket->attempts -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket->attempts) * kSecondsPerMinute / settings_.attemptsPerMinute;
  return {.allowed = false,
          .retryAfter = std::chrono::seconds(
              std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

std::size_t SignInThrottle::trackedAddresses() {
  const std::lock_guard lock(mutex_);
  return buckets_.size();
}

std::string throttleKey(std::string_view clientAddress) {
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(std::string(clientAddress), address) ||
      address.family() != Poco::Net::IPAddress::IPv6 || address.isIPv4Mapped()) {
    return std::string(clientAddress);
  }
  const auto* bytes = static_cast<const unsigned char*>(address.addr());
  std::string key;
  for (std::size_t i = 0; i < kIpv6PrefixBytes; ++i) {
    key.push_back(kHexDigits[bytes[i] >> 4]);
    key.push_back(kHexDigits[bytes[i] & 0xfU]);
    if (i % 2 == 1) key.push_back(':');
  }
  return key + ":/64";
}

}  // namespace clubsafe::collector
