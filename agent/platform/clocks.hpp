#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace clubsafe::agent::platform {

// The wall clock and the time since boot, read together.
struct ClockReading {
  std::chrono::nanoseconds wall{};       // since 1970, as the system's clock says (settable)
  std::chrono::nanoseconds sinceBoot{};  // since boot, suspended time included; never set
};

// The two clocks whose disagreement shows that someone set the wall clock. The time since boot
// counts through suspend, so a closed lid moves both alike.
class Clocks {
 public:
  virtual ~Clocks() = default;
  [[nodiscard]] virtual ClockReading read() const = 0;
};

// CLOCK_REALTIME and CLOCK_BOOTTIME.
[[nodiscard]] std::unique_ptr<Clocks> makeClocks();

// Names this boot of the machine (Linux: /proc/sys/kernel/random/boot_id); empty when it cannot
// be told.
[[nodiscard]] std::string bootId();

}  // namespace clubsafe::agent::platform
