#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace clubsafe::agent::platform {

// Bytes this process may still write in the file system holding `folder`; nullopt when the
// file system cannot be asked.
[[nodiscard]] std::optional<std::int64_t> freeBytesIn(const std::string& folder);

// Makes `path` (0600) hold `bytes` of real blocks, so the space is truly set aside and not a
// sparse promise. False, with no file left, when the file system cannot give them.
[[nodiscard]] bool reserveFile(const std::string& path, std::int64_t bytes);

}  // namespace clubsafe::agent::platform
