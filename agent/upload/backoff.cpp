#include "agent/upload/backoff.hpp"

#include <algorithm>

namespace clubsafe::agent::upload {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
                 std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      max_(std::max(max, initial_)),
      step_(initial_),
      random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  const auto step = step_.count();
  std::uniform_int_distribution<std::chrono::milliseconds::rep> draw(step / 2, step);
  step_ = std::min(step_ * 2, max_);
  return std::chrono::milliseconds(draw(random_));
}

}  // namespace clubsafe::agent::upload
