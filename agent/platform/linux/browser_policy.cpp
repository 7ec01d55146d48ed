#include "agent/platform/browser_policy.hpp"

#include <filesystem>

namespace clubsafe::agent::platform {
namespace {

// Our own file in each Chromium managed directory: the browser merges every file there.
constexpr const char* kChromiumFileName = "clubsafe.json";

}  // namespace

std::vector<BrowserPolicyFile> browserPolicyFiles(const std::string& root) {
  const std::filesystem::path base(root);
  std::vector<BrowserPolicyFile> files{
      {"Chromium", PolicyFormat::Chromium,
       (base / "etc/chromium/policies/managed" / kChromiumFileName).string()},
      {"Google Chrome", PolicyFormat::Chromium,
       (base / "etc/opt/chrome/policies/managed" / kChromiumFileName).string()},
      // Firefox on Linux reads /etc/<program name>/policies first, then its distribution folder.
      {"Firefox", PolicyFormat::Firefox, (base / "etc/firefox/policies/policies.json").string()},
  };
  std::error_code error;
  // Ubuntu's older Chromium packages read their own directory.
  if (std::filesystem::is_directory(base / "etc/chromium-browser", error)) {
    files.push_back(
        {"Chromium", PolicyFormat::Chromium,
         (base / "etc/chromium-browser/policies/managed" / kChromiumFileName).string()});
  }
  // Builds without system policies read only distribution/policies.json beside the program.
  if (std::filesystem::is_directory(base / "usr/lib/firefox-esr", error)) {
    files.push_back({"Firefox ESR", PolicyFormat::Firefox,
                     (base / "usr/lib/firefox-esr/distribution/policies.json").string()});
    files.push_back({"Firefox ESR", PolicyFormat::Firefox,
                     (base / "etc/firefox-esr/policies/policies.json").string()});
  }
  if (std::filesystem::is_directory(base / "usr/lib/firefox", error)) {
    files.push_back({"Firefox", PolicyFormat::Firefox,
                     (base / "usr/lib/firefox/distribution/policies.json").string()});
  }
  return files;
}

}  // namespace clubsafe::agent::platform
