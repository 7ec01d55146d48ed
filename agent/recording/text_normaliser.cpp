#include "agent/recording/text_normaliser.hpp"

#include <array>

namespace clubsafe::agent::recording {
namespace {

// U+00C0–U+00FF by their second UTF-8 byte (0x80–0xBF after C3); empty for × and ÷.
constexpr std::array<std::string_view, 64> kLatin1Letters{
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// The letter a digit stands for in leetspeak, or 0.
constexpr std::array<char, 10> kLeet{'o', 'i', 0, 'e', 'a', 's', 0, 't', 0, 0};

bool isAsciiLetter(unsigned char c) noexcept {
  return (c | 0x20U) >= 'a' && (c | 0x20U) <= 'z';
}
bool isLower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
bool inRange(unsigned char c, unsigned char low, unsigned char high) noexcept {
  return c >= low && c <= high;
}

template <bool kWithOrigin, bool kKeepWildcards>
void normalise(std::string_view input, std::string& text, std::vector<std::uint32_t>* origin) {
  text.clear();
  text.reserve(input.size() + 2);
  if constexpr (kWithOrigin) {
    origin->clear();
    origin->reserve(input.size() + 2);
  }
  const auto emit = [&](char c, std::size_t at) {
    text.push_back(c);
    if constexpr (kWithOrigin) origin->push_back(static_cast<std::uint32_t>(at));
  };
  const auto separate = [&](std::size_t at) {
    if (text.back() != ' ') emit(' ', at);
  };
  const auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(input[k]); };

  emit(' ', 0);
  const auto size = input.size();
  std::size_t i = 0;
  while (i < size) {
    const auto b = byteAt(i);
    if (b < 0x80) {
      if (isAsciiLetter(b)) {
        emit(static_cast<char>(b | 0x20U), i);
      } else if (b >= '0' && b <= '9') {
        const char leet = kLeet[b - '0'];
        const bool touchesLetter =
            isLower(text.back()) || (i + 1 < size && isAsciiLetter(byteAt(i + 1)));
        emit(leet != 0 && touchesLetter ? leet : static_cast<char>(b), i);
      } else if (b == '\'') {
        // dropped: "don't" is one word
      } else if (kKeepWildcards && b == '*') {
        emit('*', i);
      } else {
        separate(i);
      }
      ++i;
      continue;
    }
    const bool two = i + 1 < size && inRange(byteAt(i + 1), 0x80, 0xBF);
    const bool three = two && i + 2 < size && inRange(byteAt(i + 2), 0x80, 0xBF);
    if (b == 0xC3 && two) {  // À–ÿ
      const auto letters = kLatin1Letters[byteAt(i + 1) - 0x80U];
      if (letters.empty()) separate(i);
      for (const char c : letters) emit(c, i);
      i += 2;
    } else if (b == 0xC2 && two) {  // U+0080–U+00BF: symbols, and the soft hyphen (dropped)
      if (byteAt(i + 1) != 0xAD) separate(i);
      i += 2;
    } else if (b == 0xE2 && three && byteAt(i + 1) == 0x80) {  // U+2000–U+203F
      const auto low = byteAt(i + 2);
      const bool dropped = inRange(low, 0x8B, 0x8D) || low == 0x98 || low == 0x99;
      if (!dropped) separate(i);
      i += 3;
    } else if ((b == 0xE2 && three && byteAt(i + 1) == 0x81 && byteAt(i + 2) == 0xA0) ||
               (b == 0xEF && three && byteAt(i + 1) == 0xBB && byteAt(i + 2) == 0xBF)) {
      i += 3;  // word joiner, zero-width no-break space
    } else {
      emit(static_cast<char>(b), i);
      ++i;
    }
  }
  separate(size);
}

}  // namespace

void normaliseForMatching(std::string_view input, MatchText& out) {
  normalise<true, false>(input, out.text, &out.origin);
}

std::string normalisePhrase(std::string_view phrase) {
  std::string text;
  normalise<false, true>(phrase, text, nullptr);
  return text;
}

}  // namespace clubsafe::agent::recording
