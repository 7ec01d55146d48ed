#include "agent/protection/resolv_conf_link.hpp"

#include "agent/platform/private_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace clubsafe::agent::protection {
namespace {

bool exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::symlink_status(path, error).type() !=
         std::filesystem::file_type::not_found;
}

void removeIfExists(const std::string& path) {
  if (::remove(path.c_str()) != 0 && errno != ENOENT) {
    throw platform::FileError("Could not remove " + path + ": " + std::strerror(errno) + ".");
  }
}

}  // namespace

platform::FileError systemResolvConfLost(const platform::ResolverPaths& paths) {
  return platform::FileError(paths.resolvConf + " is the agent's own, and " +
                             paths.resolvConfBackup +
                             " (the system's) is gone. Put the router's address in " +
                             paths.resolvConf + " (nameserver ADDRESS) and start again.");
}

bool isAgentsResolvConf(std::string_view text) {
  return text.starts_with(kAgentResolvConfHeader);
}

bool isResolvConfLinked(const platform::ResolverPaths& paths) {
  return platform::symlinkTarget(paths.resolvConf) == paths.agentResolvConf;
}

void linkResolvConf(const platform::ResolverPaths& paths) {
  if (isResolvConfLinked(paths)) {
    if (!exists(paths.agentResolvConf)) {
      platform::writeSystemFile(paths.agentResolvConf,
                                platform::readFileIfExists(paths.resolvConfBackup).value_or(""));
    }
    return;
  }
  // Through a link; one to nowhere counts as no file.
  const auto present = platform::readFileIfExists(paths.resolvConf);
  std::string systemText;
  if (present && isAgentsResolvConf(*present)) {
    // Left by an agent that did not stop cleanly: the backup is the system's.
    const auto backup = platform::readFileIfExists(paths.resolvConfBackup);
    if (!backup) throw systemResolvConfLost(paths);
    systemText = *backup;
  } else if (exists(paths.resolvConf)) {
    platform::copyFileOrLink(paths.resolvConf, paths.resolvConfBackup);
    systemText = present.value_or("");
  }
  platform::ensureSystemDirectory(std::filesystem::path(paths.resolvConf).parent_path().string());
  platform::writeSystemFile(paths.agentResolvConf, systemText);
  platform::replaceWithLink(paths.resolvConf, paths.agentResolvConf);
}

bool unlinkResolvConf(const platform::ResolverPaths& paths) {
  if (!isResolvConfLinked(paths)) return false;
  if (platform::symlinkTarget(paths.resolvConfBackup)) {
    if (::rename(paths.resolvConfBackup.c_str(), paths.resolvConf.c_str()) != 0) {
      throw platform::FileError("Could not put " + paths.resolvConfBackup + " back as " +
                                paths.resolvConf + ": " + std::strerror(errno) + ".");
    }
    return true;
  }
  auto text = platform::readFileIfExists(paths.agentResolvConf);
  if (!text || text->empty() || isAgentsResolvConf(*text)) {
    text = platform::readFileIfExists(paths.resolvConfBackup);
  }
  if (text) {
    platform::writeSystemFile(paths.resolvConf, *text);
  } else {
    removeIfExists(paths.resolvConf);  // the system had none
  }
  removeIfExists(paths.resolvConfBackup);
  return true;
}

}  // namespace clubsafe::agent::protection
