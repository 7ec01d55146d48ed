#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clubsafe::common {

// Random bytes from OpenSSL's CSPRNG, as lowercase hex (2 characters a byte).
[[nodiscard]] std::string randomHex(std::size_t bytes);

// Random bytes as unpadded base64url: short, copy-paste safe tokens.
[[nodiscard]] std::string randomToken(std::size_t bytes);

[[nodiscard]] std::string sha256Hex(std::string_view data);

// HMAC-SHA-256 of `data` under `key`, as lowercase hex.
[[nodiscard]] std::string hmacSha256Hex(std::string_view key, std::string_view data);

// Compares secrets in time that does not depend on where they differ.
[[nodiscard]] bool constantTimeEquals(std::string_view a, std::string_view b);

[[nodiscard]] std::string toHex(std::string_view bytes);

}  // namespace clubsafe::common
