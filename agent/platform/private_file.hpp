#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace clubsafe::agent::platform {

class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Replaces `path` with `content` atomically: readers see the old file or the new one, never a
// part. The file is readable by its owner only from the moment it exists (it is never created
// wider and narrowed later), and is on disk when this returns. Throws FileError naming the file.
void writePrivateFile(const std::string& path, const std::string& content);

// Like writePrivateFile, for a file other programs must read: mode 0644, its missing parent
// directories created with 0755, whatever the umask. The system's resolver and browser-policy files
// are written so.
void writeSystemFile(const std::string& path, const std::string& content);

// Creates the directory `path` and its missing parents, each 0755 whatever the umask. Throws
// FileError naming the directory.
void ensureSystemDirectory(const std::string& path);

// The whole content of `path`; nullopt when there is no such file. Throws FileError naming the
// file when it exists but cannot be read.
[[nodiscard]] std::optional<std::string> readFileIfExists(const std::string& path);

// Creates `path` (and missing parents) readable by its owner only, when it does not exist yet.
// Throws FileError naming the directory.
void ensurePrivateDirectory(const std::string& path);

}  // namespace clubsafe::agent::platform
