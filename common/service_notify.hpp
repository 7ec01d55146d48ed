#pragma once

#include <chrono>
#include <optional>

// What agent and collector tell systemd when they run as a Type=notify service (sd_notify(3)).
// Outside systemd (no NOTIFY_SOCKET) every call does nothing, so tests and shells are unaffected.
namespace clubsafe::common {

// READY=1: started and serving; systemd's start job finishes and dependent units go on.
void notifyServiceReady();
// STOPPING=1: a clean stop has begun (systemctl shows "deactivating" while it finishes).
void notifyServiceStopping();
// WATCHDOG=1: still making progress. Sent only by code that has checked it is.
void notifyServiceAlive();
// The unit's WatchdogSec, when systemd watches this process; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::milliseconds> serviceWatchdogInterval();

}  // namespace clubsafe::common
