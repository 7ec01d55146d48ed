#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace clubsafe::agent::platform {

// Reads a small file someone else controls, such as one in a person's home folder, which the
// root agent must treat as hostile: a symbolic link as its last part is not followed (a link to
// /dev/zero once spun a core for good), only a plain file is read (a pipe once blocked the
// agent for good: it is opened without waiting and checked before any read), a file owned by
// anyone but `owner` or root is refused when an owner is given, and more than `maxBytes` is
// refused. nullopt for any of these, or when it is missing or cannot be read.
[[nodiscard]] std::optional<std::string> readUntrustedFile(const std::filesystem::path& path,
                                                           std::size_t maxBytes,
                                                           std::optional<std::uint32_t> owner);

}  // namespace clubsafe::agent::platform
