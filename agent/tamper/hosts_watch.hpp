#pragma once

#include "common/event.hpp"

#include <optional>
#include <string>

namespace clubsafe::agent::tamper {

// The copy of the hosts file as last seen, in the agent's state directory.
[[nodiscard]] std::string hostsCopyPath(const std::string& stateDir);

// Reports changes to the hosts file (R7): a line there sends a name to any address, past the
// DNS filter. Its SHA-256 is compared at each check against the copy kept in the state
// directory, so a change made while the agent was stopped is found at the next start too. The
// first check only keeps a copy.
class HostsWatch {
 public:
  HostsWatch(std::string hostsFile, const std::string& stateDir);

  // A tamper event ("hosts_changed") naming up to a few entries added and removed, when the file
  // differs from the copy; the copy is then replaced. A file that cannot be read, or a copy that
  // cannot be kept, is logged and changes nothing.
  [[nodiscard]] std::optional<common::Event> check();

 private:
  std::string hostsFile_;
  std::string copyPath_;
  std::optional<std::string> seenHash_;  // of the copy; nullopt until it is read
  std::string lastWarning_;              // said once, not at every check
};

}  // namespace clubsafe::agent::tamper
