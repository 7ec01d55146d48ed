#pragma once

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

// Creates `path` (and missing parents) readable by its owner only, when it does not exist yet.
// Throws FileError naming the directory.
void ensurePrivateDirectory(const std::string& path);

}  // namespace clubsafe::agent::platform
