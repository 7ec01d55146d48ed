#include "agent/platform/private_file.hpp"

#include "agent/platform/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace clubsafe::agent::platform {
namespace {

constexpr mode_t kOwnerOnlyFile = 0600;
constexpr mode_t kOwnerOnlyDirectory = 0700;
constexpr mode_t kReadableFile = 0644;
constexpr mode_t kReadableDirectory = 0755;

[[noreturn]] void fail(const std::string& doing, const std::string& path, int error) {
  throw FileError("Could not " + doing + " " + path + ": " + std::strerror(error) + ".");
}

void writeAll(int fd, const std::string& content, const std::string& path) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write", path, errno);
    written += static_cast<std::size_t>(n);
  }
}

void syncDirectory(const std::string& directory) {
  const FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail("save the directory", directory, errno);
}

void writeFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
  const std::filesystem::path target(path);
  const std::string directory =
      target.has_parent_path() ? target.parent_path().string() : std::string(".");
  const std::string temporary = path + ".tmp";
  ::unlink(temporary.c_str());
  {
    // O_EXCL: never reuse a file someone else made, which could carry wider permissions.
    FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) fail("create", temporary, errno);
    try {
      // The umask may have taken bits away from a file meant to be readable by everyone.
      if (::fchmod(fd.get(), mode) != 0) fail("set the permissions of", temporary, errno);
      writeAll(fd.get(), content, temporary);
      if (::fsync(fd.get()) != 0) fail("save", temporary, errno);
      if (fd.close() != 0) fail("save", temporary, errno);
    } catch (...) {
      ::unlink(temporary.c_str());
      throw;
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail("replace", path, error);
  }
  syncDirectory(directory);
}

}  // namespace

void writePrivateFile(const std::string& path, const std::string& content) {
  writeFileAtomically(path, content, kOwnerOnlyFile);
}

void ensureSystemDirectory(const std::string& path) {
  // Each missing directory is made 0755 whatever the umask (the service runs with 0077), or
  // the programs meant to read the files in it could not reach them.
  std::filesystem::path directory;
  for (const auto& part : std::filesystem::path(path)) {
    directory /= part;
    if (::mkdir(directory.c_str(), kReadableDirectory) == 0) {
      if (::chmod(directory.c_str(), kReadableDirectory) != 0) {
        fail("set the permissions of", directory.string(), errno);
      }
    } else if (errno != EEXIST) {
      fail("create the directory", directory.string(), errno);
    }
  }
}

void writeSystemFile(const std::string& path, const std::string& content) {
  ensureSystemDirectory(std::filesystem::path(path).parent_path().string());
  writeFileAtomically(path, content, kReadableFile);
}

std::optional<std::string> readFileIfExists(const std::string& path) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("read", path, errno);
  }
  std::string content;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read", path, errno);
    if (n == 0) return content;
    content.append(buffer, static_cast<std::size_t>(n));
  }
}

void ensurePrivateDirectory(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return;
  const std::filesystem::path directory(path);
  if (directory.has_parent_path() && !directory.parent_path().empty()) {
    std::filesystem::create_directories(directory.parent_path(), error);
    if (error) fail("create the directory", directory.parent_path().string(), error.value());
  }
  if (::mkdir(path.c_str(), kOwnerOnlyDirectory) != 0 && errno != EEXIST) {
    fail("create the directory", path, errno);
  }
}

}  // namespace clubsafe::agent::platform
