#pragma once

#include <functional>
#include <string>
#include <vector>

namespace clubsafe::collector {

// What systemd's watchdog is told (WATCHDOG=1) only after it has been seen working: each check
// does a little of the collector's real work and throws when it cannot. A check that fails
// stops the feeding, and so does one that hangs (a worker or a batch stuck holding the
// database), so systemd restarts the collector once WatchdogSec passes.
class ServiceLiveness {
 public:
  struct Check {
    std::string what;  // completes "… failed", for the log: "the HTTPS server answers"
    std::function<void()> run;
  };

  explicit ServiceLiveness(std::vector<Check> checks);

  // Runs every check and, when all pass, tells systemd the collector is alive. A failure is
  // logged once when it starts and once when it ends. Returns whether all passed.
  bool feedIfAlive();

 private:
  std::vector<Check> checks_;
  std::vector<bool> failing_;  // by check: logged as failing, not yet as mended
};

}  // namespace clubsafe::collector
