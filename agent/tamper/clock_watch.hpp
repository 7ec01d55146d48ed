#pragma once

#include "agent/platform/clocks.hpp"
#include "common/event.hpp"

#include <chrono>
#include <optional>

namespace clubsafe::agent::tamper {

// Reports the wall clock being set (R7): between two checks it must move as far as the time
// since boot, which nobody can set and which counts through suspend, so closing the lid is not
// a jump. Small corrections (NTP slews) stay under the threshold; each check starts afresh from
// the last, so they never add up to one.
class ClockWatch {
 public:
  ClockWatch(const platform::Clocks& clocks, std::chrono::milliseconds threshold);

  // A tamper event ("clock_jump") with the jump's size and direction, when the clocks moved
  // apart by at least the threshold since the last check; the first check only reads them.
  [[nodiscard]] std::optional<common::Event> check();

 private:
  const platform::Clocks& clocks_;
  std::chrono::milliseconds threshold_;
  std::optional<platform::ClockReading> last_;
};

}  // namespace clubsafe::agent::tamper
