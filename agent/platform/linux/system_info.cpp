#include "agent/platform/system_info.hpp"

#include <unistd.h>

#include <climits>
#include <fstream>
#include <string_view>

namespace clubsafe::agent::platform {

std::string operatingSystemName() {
  // os-release(5): shell-style KEY=value lines, the value optionally quoted.
  constexpr std::string_view kKey = "PRETTY_NAME=";
  for (const char* file : {"/etc/os-release", "/usr/lib/os-release"}) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(kKey, 0) != 0) continue;
      std::string value = line.substr(kKey.size());
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      if (!value.empty()) return value;
    }
  }
  return "unknown";
}

std::string hostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace clubsafe::agent::platform
