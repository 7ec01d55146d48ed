#pragma once

#include <string>
#include <string_view>
#include <vector>

// The other forms of a word that a library's "forms:" and "typos:" lines stand for
// (docs/PHRASES.md, "Word forms"). Words are in matching form: a–z and 0–9.
namespace clubsafe::agent::recording {

// Regular inflections: +s, +es, +ed, +ing, with a final e dropped (bully → bullies, bullied;
// starve → starving, starved) and a final consonant doubled (cut → cutting), and the -ing with its
// g dropped as young people type it (cuttin, starvin). Forms that are not English words ("cutted")
// cost nothing: no text has them.
[[nodiscard]] std::vector<std::string> inflectionsOf(std::string_view word);

// The usual slips of a word of kMinTypoLetters or more: one letter missing, two neighbours
// swapped, one letter doubled. Not a letter changed: that makes other real words (nudes → nukes).
[[nodiscard]] std::vector<std::string> typosOf(std::string_view word);

inline constexpr std::size_t kMinTypoLetters = 5;

}  // namespace clubsafe::agent::recording
