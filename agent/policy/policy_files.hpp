#pragma once

#include <string>

namespace clubsafe::agent::policy {

// Where the agent caches what the collector sent, in agent.state_dir (docs/POLICY.md).
[[nodiscard]] inline std::string policyPath(const std::string& stateDir) {
  return stateDir + "/policy.json";
}
[[nodiscard]] inline std::string indexPath(const std::string& stateDir) {
  return stateDir + "/domains.index";
}

}  // namespace clubsafe::agent::policy
