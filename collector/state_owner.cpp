#include "collector/state_owner.hpp"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace clubsafe::collector {

void actAsStateOwner(const std::string& stateDir) {
  struct stat folder {};
  if (::geteuid() != 0 || ::stat(stateDir.c_str(), &folder) != 0 || folder.st_uid == 0) return;
  if (::setgroups(0, nullptr) != 0 || ::setgid(folder.st_gid) != 0 ||
      ::setuid(folder.st_uid) != 0) {
    throw std::runtime_error("Could not act as the owner of " + stateDir +
                             " (the collector's service user).");
  }
}

}  // namespace clubsafe::collector
