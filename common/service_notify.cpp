#include "common/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace clubsafe::common {

void notifyServiceReady() {
  (void)sd_notify(0, "READY=1");
}

void notifyServiceStopping() {
  (void)sd_notify(0, "STOPPING=1");
}

void notifyServiceAlive() {
  (void)sd_notify(0, "WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> serviceWatchdogInterval() {
  std::uint64_t microseconds = 0;
  if (sd_watchdog_enabled(0, &microseconds) <= 0) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::microseconds(microseconds));
}

}  // namespace clubsafe::common
