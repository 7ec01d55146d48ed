#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::agent::platform {

struct ProcessInfo {
  int pid = 0;
  std::uint32_t uid = 0;  // the real user id: who started it
  std::string user;       // that user's login name, or the number when it has none
  std::string name;       // the executable's file name, e.g. "firefox-esr"
};

// The running processes of the machine, kernel threads left out. Processes that end while
// being listed are skipped.
class ProcessLister {
 public:
  virtual ~ProcessLister() = default;
  [[nodiscard]] virtual std::vector<ProcessInfo> list() = 0;
};

// The implementation for this operating system (agent/platform/<os>/).
[[nodiscard]] std::unique_ptr<ProcessLister> makeProcessLister();

// A user's login name, or the number when it has none.
[[nodiscard]] std::string userName(std::uint32_t uid);

// One process's executable file name, as list() names it; nullopt when it has ended.
[[nodiscard]] std::optional<std::string> processName(int pid);

}  // namespace clubsafe::agent::platform
