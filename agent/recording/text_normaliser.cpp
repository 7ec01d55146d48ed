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

// U+0100–U+017F (Latin Extended-A: Polish ą ć ę ł ń ś ź ż, Welsh ŵ ŷ, and the rest of Europe's)
// by their offset from U+0100, one base letter each; 'I' stands for "ij" (Ĳ ĳ) and 'O' for "oe"
// (Œ œ).
constexpr std::string_view kLatinExtendedA =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkkllllllllllnnnnnnnnnoooooo"
    "OOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kLatinExtendedA.size() == 128);

std::string_view latinExtendedALetters(unsigned char lead, unsigned char next) noexcept {
  const auto k = (lead == 0xC5 ? 64U : 0U) + (next - 0x80U);
  switch (kLatinExtendedA[k]) {
    case 'I':
      return "ij";
    case 'O':
      return "oe";
    default:
      return kLatinExtendedA.substr(k, 1);
  }
}

// The letter a digit stands for in leetspeak, or 0.
constexpr std::array<char, 10> kLeet{'o', 'i', 0, 'e', 'a', 's', 0, 't', 0, 0};

// Cyrillic letters that look like Latin ones, written to pass a word list ("kill mysеlf" with a
// Cyrillic е), by their code point's offset from U+0400 (UTF-8 D0 80 to D1 BF); 0 for the others,
// which stay part of their (Cyrillic) word.
constexpr std::array<char, 128> makeCyrillicLookAlikes() {
  std::array<char, 128> letters{};
  constexpr std::string_view kPairs =  // offset from U+0400 as two hex digits, then the letter
      "05s06i08j10a12b15e1Ak1Cm1Dh1Eo20p21c22t23y25x30a35e3Eo40p41c43y45x55s56i58j";
  for (std::size_t k = 0; k + 2 < kPairs.size(); k += 3) {
    const auto hex = [](char c) { return c <= '9' ? c - '0' : c - 'A' + 10; };
    letters[static_cast<std::size_t>(hex(kPairs[k]) * 16 + hex(kPairs[k + 1]))] = kPairs[k + 2];
  }
  return letters;
}
constexpr auto kCyrillicLookAlikes = makeCyrillicLookAlikes();

char cyrillicLookAlike(unsigned char lead, unsigned char next) noexcept {
  return kCyrillicLookAlikes[(lead == 0xD1 ? 64U : 0U) + (next - 0x80U)];
}

bool isAsciiLetter(unsigned char c) noexcept {
  return (c | 0x20U) >= 'a' && (c | 0x20U) <= 'z';
}
bool isLower(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
bool inRange(unsigned char c, unsigned char low, unsigned char high) noexcept {
  return c >= low && c <= high;
}

// Symbols read as letters between two letters ("h@te", "k!ll", "a$$h"): not at a word's edge,
// where they are e-mail addresses, prices and exclamations.
char symbolLetter(unsigned char c) noexcept {
  switch (c) {
    case '@':
      return 'a';
    case '$':
      return 's';
    case '!':
      return 'i';
    default:
      return 0;
  }
}

// The matching form as it is written: at most two bytes longer than the input (a space
// before and after; no character becomes more bytes than it had), so it is written into buffers
// sized once, without a capacity check per byte.
template <bool kWithOrigin>
class FormWriter {
 public:
  FormWriter(std::size_t inputSize, std::string& text, std::vector<std::uint32_t>* origin)
      : text_(text), origin_(origin) {
    text_.resize(inputSize + 2);
    if constexpr (kWithOrigin) origin_->resize(inputSize + 2);
  }
  FormWriter(const FormWriter&) = delete;
  FormWriter& operator=(const FormWriter&) = delete;
  ~FormWriter() {
    text_.resize(length_);
    if constexpr (kWithOrigin) origin_->resize(length_);
  }
  void push(char c, std::size_t at) noexcept {
    text_[length_] = c;
    if constexpr (kWithOrigin) (*origin_)[length_] = static_cast<std::uint32_t>(at);
    ++length_;
  }
  void pop() noexcept { --length_; }
  [[nodiscard]] char back() const noexcept { return text_[length_ - 1]; }
  [[nodiscard]] char at(std::size_t k) const noexcept { return text_[k]; }
  [[nodiscard]] std::size_t size() const noexcept { return length_; }

 private:
  std::string& text_;
  std::vector<std::uint32_t>* origin_;
  std::size_t length_ = 0;
};

template <bool kWithOrigin, bool kKeepWildcards>
void normalise(std::string_view input, std::string& output, std::vector<std::uint32_t>* origin) {
  FormWriter<kWithOrigin> text(input.size(), output, origin);
  // A letter three or more times in a row is read once ("soooo" → "so", "hurttt" → "hurt"),
  // while doubled letters stay ("kill", "bullied").
  std::size_t run = 0;  // how many times the last letter came in a row
  const auto emit = [&](char c, std::size_t at) {
    if (isLower(c) && c == text.back()) {  // text is never empty here: it opens with a space
      if (++run == 3) text.pop();
      if (run >= 3) return;
    } else {
      run = 1;
    }
    text.push(c, at);
  };
  std::size_t joinedAt = SIZE_MAX;  // where the letter after the last joining separator went
  const auto separate = [&](std::size_t at) {
    if (text.back() != ' ') emit(' ', at);
  };
  const auto size = input.size();
  const auto byteAt = [&](std::size_t k) { return static_cast<unsigned char>(input[k]); };
  const auto letterAt = [&](std::size_t k) { return k < size && isAsciiLetter(byteAt(k)); };
  // A separator between single letters ("k.m.s", "s-u-i-c-i-d-e") joins them into one word.
  const auto joinsSpelling = [&](unsigned char b, std::size_t i) {
    if (b != '.' && b != '-' && b != '_') return false;
    const bool singleAfter = letterAt(i + 1) && !letterAt(i + 2) &&
                             !(i + 2 < size && byteAt(i + 2) >= '0' && byteAt(i + 2) <= '9');
    // The letter before stands alone, or came after the last join: "k" then ".m" then ".s".
    const auto letters = text.size();
    const bool singleBefore =
        isLower(text.back()) && (text.at(letters - 2) == ' ' || joinedAt == letters - 1);
    if (!singleBefore || !singleAfter) return false;
    joinedAt = letters;  // where the next letter goes
    return true;
  };
  const auto ascii = [&](unsigned char b, std::size_t i, std::size_t next) {
    if (isAsciiLetter(b)) {
      emit(static_cast<char>(b | 0x20U), i);
    } else if (b >= '0' && b <= '9') {
      const char leet = kLeet[b - '0'];
      const bool touchesLetter = isLower(text.back()) || letterAt(next);
      emit(leet != 0 && touchesLetter ? leet : static_cast<char>(b), i);
    } else if (b == '\'' || joinsSpelling(b, i)) {
      // dropped: "don't" and "k.m.s" are one word each
    } else if (kKeepWildcards && b == '*') {
      emit('*', i);
    } else if (symbolLetter(b) != 0 && isLower(text.back()) && letterAt(next)) {
      emit(symbolLetter(b), i);
    } else {
      separate(i);
    }
  };

  emit(' ', 0);
  std::size_t i = 0;
  while (i < size) {
    const auto b = byteAt(i);
    if (b < 0x80) {
      ascii(b, i, i + 1);
      ++i;
      continue;
    }
    const bool two = i + 1 < size && inRange(byteAt(i + 1), 0x80, 0xBF);
    const bool three = two && i + 2 < size && inRange(byteAt(i + 2), 0x80, 0xBF);
    const auto b1 = two ? byteAt(i + 1) : 0U;
    const auto b2 = three ? byteAt(i + 2) : 0U;
    if (b == 0xC3 && two) {  // À–ÿ
      const auto letters = kLatin1Letters[b1 - 0x80U];
      if (letters.empty()) separate(i);
      for (const char c : letters) emit(c, i);
      i += 2;
    } else if ((b == 0xC4 || b == 0xC5) && two) {  // Ā–ſ
      for (const char c : latinExtendedALetters(b, b1)) emit(c, i);
      i += 2;
    } else if (b == 0xC2 && two) {  // U+0080–U+00BF: symbols, and the soft hyphen (dropped)
      if (b1 != 0xAD) separate(i);
      i += 2;
    } else if ((b == 0xCC && two) || (b == 0xCD && two && b1 <= 0xAF)) {
      i += 2;  // combining accents (U+0300–U+036F): "e" + U+0301 is "é", read as "e"
    } else if ((b == 0xD0 || b == 0xD1) && two && cyrillicLookAlike(b, b1) != 0) {
      emit(cyrillicLookAlike(b, b1), i);
      i += 2;
    } else if (b == 0xE2 && three && b1 == 0x80) {  // U+2000–U+203F
      // zero-width space and joiners, left-to-right and right-to-left marks, ‘ ’: dropped
      const bool dropped = inRange(b2, 0x8B, 0x8F) || b2 == 0x98 || b2 == 0x99;
      if (!dropped) separate(i);
      i += 3;
    } else if ((b == 0xE2 && three && b1 == 0x81 && inRange(b2, 0xA0, 0xA4)) ||
               (b == 0xEF && three && b1 == 0xBB && b2 == 0xBF)) {
      i += 3;  // word joiner, invisible operators, zero-width no-break space
    } else if (b == 0xEF && three && ((b1 == 0xBC && b2 >= 0x81) || (b1 == 0xBD && b2 <= 0x9E))) {
      // fullwidth forms U+FF01–U+FF5E: the ASCII character they stand for
      const auto code = ((b1 & 0x3FU) << 6U | (b2 & 0x3FU)) + 0xF000U - 0xFEE0U;
      ascii(static_cast<unsigned char>(code), i, i + 3);
      i += 3;
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
