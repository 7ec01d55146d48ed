#include "common/service_notify.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

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

bool standardOutputIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  unsigned long long device = 0;
  unsigned long long inode = 0;
  struct stat status {};
  return stream != nullptr && std::sscanf(stream, "%llu:%llu", &device, &inode) == 2 &&
         ::fstat(STDOUT_FILENO, &status) == 0 && status.st_dev == device && status.st_ino == inode;
}

std::optional<std::chrono::milliseconds> serviceWatchdogInterval() {
  std::uint64_t microseconds = 0;
  if (sd_watchdog_enabled(0, &microseconds) <= 0) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::microseconds(microseconds));
}

}  // namespace clubsafe::common
