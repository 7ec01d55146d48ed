#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace clubsafe::agent::upload {

// Exponential back-off with jitter: the step doubles from `initial` up to `max`, and each wait
// is drawn uniformly between half and all of the step, so many laptops coming back after a
// collector outage do not all knock at the same moment.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
          std::uint64_t seed = std::random_device{}());

  // The wait before the next attempt after a failure.
  [[nodiscard]] std::chrono::milliseconds next();
  // After a success the next failure starts again from `initial`.
  void reset() { step_ = initial_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds step_;
  std::mt19937_64 random_;
};

}  // namespace clubsafe::agent::upload
