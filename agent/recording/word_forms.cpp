#include "agent/recording/word_forms.hpp"

namespace clubsafe::agent::recording {
namespace {

bool isVowel(char c) noexcept {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace

std::vector<std::string> inflectionsOf(std::string_view word) {
  const std::string w(word);
  std::vector<std::string> forms{w + "s", w + "es", w + "ed"};
  // The -ing stem is the word itself unless a final e drops or a final consonant doubles.
  std::string ingStem = w;
  if (w.size() >= 2) {
    const char last = w.back();
    const auto stem = w.substr(0, w.size() - 1);
    if (last == 'e') {
      forms.push_back(w + "d");
      ingStem = stem;
    } else if (last == 'y' && !isVowel(w[w.size() - 2])) {
      forms.push_back(stem + "ies");
      forms.push_back(stem + "ied");
    } else if (w.size() >= 3 && !isVowel(last) && last != 'w' && last != 'x' && last != 'y' &&
               isVowel(w[w.size() - 2]) && !isVowel(w[w.size() - 3])) {
      forms.push_back(w + last + "ed");
      ingStem = w + last;
    }
  }
  if (ingStem != w) forms.push_back(w + "ing");
  forms.push_back(ingStem + "ing");
  // The dropped g only from the right -ing: "robbin", never "robin"; "beggin", never "begin".
  forms.push_back(ingStem + "in");
  return forms;
}

std::vector<std::string> typosOf(std::string_view word) {
  std::vector<std::string> typos;
  if (word.size() < kMinTypoLetters) return typos;
  for (std::size_t i = 0; i < word.size(); ++i) {
    std::string missing(word);
    missing.erase(i, 1);
    typos.push_back(std::move(missing));
    std::string doubled(word);
    doubled.insert(i, 1, word[i]);
    typos.push_back(std::move(doubled));
    if (i + 1 < word.size() && word[i] != word[i + 1]) {
      std::string swapped(word);
      std::swap(swapped[i], swapped[i + 1]);
      typos.push_back(std::move(swapped));
    }
  }
  return typos;
}

}  // namespace clubsafe::agent::recording
