#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The matching form of text that phrases are looked for in (docs/PHRASES.md, "How text is
// compared"): lower-case ASCII letters and digits, every run of anything else as one space, one
// space at each end, so that a phrase written " kill myself " can only match whole words.
namespace clubsafe::agent::recording {

struct MatchText {
  std::string text;
  // origin[i]: the byte of the input that text[i] came from; a space stands at the first byte of
  // the run it replaced (the input's size for the closing one), so a match [s, e) of text covers
  // input bytes [origin[s + 1], origin[e - 1]).
  std::vector<std::uint32_t> origin;
};

// Rules: ASCII letters lower-cased; A–ÿ (U+00C0–U+00FF) folded to their base letters (é → e,
// ß → ss) and combining accents dropped; Cyrillic letters that look Latin (а е о р с у х і ...)
// and fullwidth forms (ｋｉｌｌ) read as the Latin ones; a leetspeak digit touching a letter read
// as that letter (0 o, 1 i, 3 e, 4 a, 5 s, 7 t: "k1ll" → "kill", "420" stays), and @ $ ! between
// two letters as a s i ("h@te"); single letters joined by . - _ read as one word ("k.m.s" →
// "kms"); a letter three or more times in a row read once ("soooo" → "so", "kill" stays);
// apostrophes (' ‘ ’), soft hyphens, zero-width characters and direction marks dropped ("don't"
// → "dont"); other ASCII, Latin-1 symbols and general punctuation (U+2000–U+203F) separate
// words; any other byte, valid UTF-8 or not, is kept as part of a word, which a phrase (ASCII
// only) never matches. Linear in the input. `input` must be shorter than 4 GiB.
void normaliseForMatching(std::string_view input, MatchText& out);

// The same form for a phrase as written in a library, keeping each '*' (a wildcard) as part of
// its word.
[[nodiscard]] std::string normalisePhrase(std::string_view phrase);

}  // namespace clubsafe::agent::recording
