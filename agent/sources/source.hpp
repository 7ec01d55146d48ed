#pragma once

#include "common/event.hpp"

#include <chrono>
#include <string_view>
#include <vector>

namespace clubsafe::agent::sources {

// Something that records events when polled at its own interval.
class Source {
 public:
  virtual ~Source() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::chrono::milliseconds interval() const = 0;
  // The events recorded since the last poll; sequence numbers are the outbox's to give.
  [[nodiscard]] virtual std::vector<common::Event> poll() = 0;
};

}  // namespace clubsafe::agent::sources
