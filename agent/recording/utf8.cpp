#include "agent/recording/utf8.hpp"

#include <cstdint>

namespace clubsafe::agent::recording {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool isContinuation(unsigned char byte) noexcept {
  return (byte & 0xC0U) == 0x80U;
}

// The length of the valid sequence starting at text[i], or 0 when none does. The ranges of the
// second byte are those of RFC 3629's table, which rule out overlong forms and surrogates.
std::size_t validSequenceLength(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const auto lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (!isContinuation(byte(k))) return 0;
  }
  return length;
}

}  // namespace

void appendCleanUtf8(std::string_view text, std::string& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out.push_back(byte < 0x20 || byte == 0x7F ? ' ' : static_cast<char>(byte));
      ++i;
      continue;
    }
    if (const auto length = validSequenceLength(text, i); length != 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    // One replacement for the lead byte and the continuation bytes that follow it.
    out.append(kReplacement);
    ++i;
    while (i < text.size() && isContinuation(static_cast<unsigned char>(text[i]))) ++i;
  }
}

std::size_t utf8BoundaryBefore(std::string_view text, std::size_t at) noexcept {
  if (at >= text.size()) return text.size();
  // At most three continuation bytes belong to one character; past that the bytes are invalid
  // anyway and any cut is as good as another.
  for (std::size_t back = 0; back < 4 && back <= at; ++back) {
    if (!isContinuation(static_cast<unsigned char>(text[at - back]))) return at - back;
  }
  return at;
}

}  // namespace clubsafe::agent::recording
