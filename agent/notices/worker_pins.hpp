#pragma once

#include "common/policy.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

// Staff PINs (N2 staff sign-in, F7 worker override): the policy lists the club's workers, each
// with a scrypt hash of their PIN (common/password_hash). docs/NOTICES.md, "Worker override".
namespace clubsafe::agent::notices {

struct PinCheck {
  enum class Outcome {
    Ok,         // `worker` is whose PIN it is
    Wrong,      // no worker has this PIN, or it is not 6 to 12 digits
    LockedOut,  // too many wrong PINs (this one the last): none is tried for `retryAfter`
    NoWorkers,  // the policy lists no worker, so no PIN can be right
  };
  Outcome outcome = Outcome::Wrong;
  std::string worker;
  std::chrono::seconds retryAfter{0};
};

// kMaxWrongPins wrong PINs within kWrongPinWindow lock every PIN out for kLockout. Counted for
// the laptop, not per account: a child can open several sessions.
inline constexpr std::size_t kMaxWrongPins = 5;
inline constexpr std::chrono::minutes kWrongPinWindow{15};
inline constexpr std::chrono::minutes kLockout{15};

// Checks a PIN against the workers of the policy in force. Any thread may call it; checks run
// one at a time, so guesses sent at once are counted like guesses sent in turn.
class WorkerPins {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

  explicit WorkerPins(SteadyClock clock = std::chrono::steady_clock::now);

  // The workers of a new policy; wrong PINs already counted (and a lockout) stay.
  void setWorkers(std::vector<common::Worker> workers);

  // Hashes `pin` once per worker (scrypt, about 100 ms each), never while locked out or for a
  // PIN that is not 6 to 12 digits. Such a malformed PIN is Wrong but not counted: it cannot be a
  // guess at a real one. A right PIN clears the count.
  [[nodiscard]] PinCheck check(std::string_view pin);

 private:
  SteadyClock clock_;
  std::mutex checkMutex_;  // held through a check, hashing included
  std::mutex mutex_;       // guards workers_; never held while hashing
  std::vector<common::Worker> workers_;
  // Under checkMutex_.
  std::deque<std::chrono::steady_clock::time_point> wrong_;
  std::chrono::steady_clock::time_point lockedUntil_{};
};

}  // namespace clubsafe::agent::notices
