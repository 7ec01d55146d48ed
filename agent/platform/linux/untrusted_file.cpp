#include "agent/platform/untrusted_file.hpp"

#include "agent/platform/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace clubsafe::agent::platform {

std::optional<std::string> readUntrustedFile(const std::filesystem::path& path,
                                             std::size_t maxBytes,
                                             std::optional<std::uint32_t> owner) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0) return std::nullopt;
  struct stat info {};
  if (::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  if (owner && info.st_uid != *owner && info.st_uid != 0) return std::nullopt;
  if (static_cast<std::uintmax_t>(info.st_size) > maxBytes) return std::nullopt;
  // Read to the end but never past the cap: the file may grow while it is read.
  std::string content(maxBytes + 1, '\0');
  std::size_t filled = 0;
  while (filled < content.size()) {
    const auto got = ::read(file.get(), content.data() + filled, content.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::nullopt;
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled > maxBytes) return std::nullopt;
  content.resize(filled);
  return content;
}

}  // namespace clubsafe::agent::platform
