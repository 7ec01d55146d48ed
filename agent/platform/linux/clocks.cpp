#include "agent/platform/clocks.hpp"

#include <time.h>

#include <fstream>

namespace clubsafe::agent::platform {
namespace {

std::chrono::nanoseconds readClock(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);  // cannot fail for these clocks on Linux 2.6.39 and later
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

class LinuxClocks : public Clocks {
 public:
  [[nodiscard]] ClockReading read() const override {
    return {readClock(CLOCK_REALTIME), readClock(CLOCK_BOOTTIME)};
  }
};

}  // namespace

std::unique_ptr<Clocks> makeClocks() {
  return std::make_unique<LinuxClocks>();
}

std::string bootId() {
  std::ifstream file("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(file, id);
  return id;
}

}  // namespace clubsafe::agent::platform
