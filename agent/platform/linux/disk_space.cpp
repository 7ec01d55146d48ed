#include "agent/platform/disk_space.hpp"

#include "agent/platform/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace clubsafe::agent::platform {

std::optional<std::int64_t> freeBytesIn(const std::string& folder) {
  struct statvfs info {};
  if (::statvfs(folder.c_str(), &info) != 0) return std::nullopt;
  return static_cast<std::int64_t>(info.f_bavail) * static_cast<std::int64_t>(info.f_frsize);
}

bool reserveFile(const std::string& path, std::int64_t bytes) {
  FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  if (!file.valid()) return false;
  // posix_fallocate gives the file real blocks (writing zeros where the file system cannot
  // allocate).
  const bool made = ::posix_fallocate(file.get(), 0, bytes) == 0;
  (void)file.close();
  if (!made) ::unlink(path.c_str());
  return made;
}

}  // namespace clubsafe::agent::platform
