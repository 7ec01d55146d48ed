#pragma once

#include <string>
#include <vector>

namespace clubsafe::agent::platform {

enum class PolicyFormat {
  Chromium,  // a JSON object of policy names, one file of several in a managed directory
  Firefox,   // policies.json: the policy names inside its "policies" object
};

struct BrowserPolicyFile {
  std::string browser;  // as people know it, for messages: "Chromium", "Firefox ESR"
  PolicyFormat format;
  std::string path;
};

// The machine-wide managed-policy files of the browsers on this system, under `root` ("/" on a
// laptop, a temporary directory in tests). Chromium's and Google Chrome's are listed whether
// or not that browser is installed yet, so one installed later starts under the policy;
// Firefox's distribution folders only where that Firefox is installed.
[[nodiscard]] std::vector<BrowserPolicyFile> browserPolicyFiles(const std::string& root);

}  // namespace clubsafe::agent::platform
