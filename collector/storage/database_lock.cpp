#include "collector/storage/database_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace clubsafe::collector {

DatabaseLock::DatabaseLock(const std::filesystem::path& database) {
  const auto file = database.string() + ".lock";
  if (database.has_parent_path()) std::filesystem::create_directories(database.parent_path());
  descriptor_ = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor_ < 0) {
    throw std::runtime_error("Could not open " + file + ": " + std::strerror(errno) + ".");
  }
  if (::flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(descriptor_);
    if (error == EWOULDBLOCK) {
      throw DatabaseLockedError("A clubsafe collector is running on " + database.string() +
                                ". Stop it first (systemctl stop clubsafe-collector).");
    }
    throw std::runtime_error("Could not lock " + file + ": " + std::strerror(error) + ".");
  }
}

DatabaseLock::~DatabaseLock() {
  ::close(descriptor_);
}

}  // namespace clubsafe::collector
