#pragma once

#include <cstdint>
#include <string_view>

namespace clubsafe::common {

// FNV-1a, 64 bits: a fast hash of short texts, stable across runs and machines (the corpus
// split depends on it), inline so a hot loop pays no call.
[[nodiscard]] constexpr std::uint64_t fnv1a64(std::string_view text) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}
static_assert(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // the published test vector

}  // namespace clubsafe::common
