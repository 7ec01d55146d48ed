#include "agent/platform/file_stamp.hpp"

#include <fcntl.h>
#include <sys/stat.h>

namespace clubsafe::agent::platform {

std::optional<FileStamp> fileStamp(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileStamp{.device = static_cast<std::uint64_t>(info.st_dev),
                   .inode = static_cast<std::uint64_t>(info.st_ino),
                   .size = static_cast<std::int64_t>(info.st_size),
                   .modified = std::chrono::seconds(info.st_mtim.tv_sec) +
                               std::chrono::nanoseconds(info.st_mtim.tv_nsec)};
}

bool touchFile(const std::string& path) {
  return ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0) == 0;
}

}  // namespace clubsafe::agent::platform
