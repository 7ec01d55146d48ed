#include "agent/protection/system_steps.hpp"

#include "agent/platform/browser_policy.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/platform/resolver_settings.hpp"
#include "agent/protection/resolv_conf_link.hpp"

#include <filesystem>

namespace clubsafe::agent::protection {

bool filtersForTheSystem(const common::Settings& settings) {
  return settings.flag("dns.enabled") && settings.integer("dns.port") == 53;
}

bool takesOverResolver(const common::Settings& settings) {
  return filtersForTheSystem(settings) && settings.flag("dns.take_over_resolver");
}

void prepareSystem(const std::string& root, bool takeOverResolver) {
  for (const auto& file : platform::browserPolicyFiles(root)) {
    platform::ensureSystemDirectory(std::filesystem::path(file.path).parent_path().string());
  }
  const auto paths = platform::resolverPaths(root);
  if (!takeOverResolver) return;
  // Only for a service that is there: /etc/NetworkManager exists once NetworkManager does.
  for (const auto& dropIn : {paths.resolvedDropIn, paths.networkManagerDropIn}) {
    const auto folder = std::filesystem::path(dropIn).parent_path();
    std::error_code error;
    if (std::filesystem::is_directory(folder.parent_path(), error)) {
      platform::ensureSystemDirectory(folder.string());
    }
  }
  linkResolvConf(paths);
}

void giveBackSystem(const std::string& root) {
  (void)unlinkResolvConf(platform::resolverPaths(root));
}

}  // namespace clubsafe::agent::protection
