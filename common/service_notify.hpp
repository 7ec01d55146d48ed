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
// Whether standard output goes to the journal (systemd's JOURNAL_STREAM names the stream's
// device and inode, compared with standard output's own, as systemd.exec(5) says to): no
// place for a secret. A shell that merely inherited the variable writes to its terminal.
[[nodiscard]] bool standardOutputIsJournal();
// The unit's WatchdogSec, when systemd watches this process; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::milliseconds> serviceWatchdogInterval();

}  // namespace clubsafe::common
