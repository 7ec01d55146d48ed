#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace clubsafe::agent::platform {

// What tells one version of a file from another: its device and inode (another file renamed
// over it), its size and when it was last changed.
struct FileStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::chrono::nanoseconds modified{0};  // since the epoch, by the wall clock
  bool operator==(const FileStamp&) const = default;
};

// The stamp of the file `path` names (following a link); nullopt when there is none or it
// cannot be looked at.
[[nodiscard]] std::optional<FileStamp> fileStamp(const std::string& path);

// Sets the modification time of the file `path` names to now; false when there is no such file
// or it cannot be changed.
[[nodiscard]] bool touchFile(const std::string& path);

}  // namespace clubsafe::agent::platform
