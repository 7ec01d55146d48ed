#include "agent/recording/word_forms.hpp"

namespace clubsafe::agent::recording {
namespace {

bool isVowel(char c) noexcept {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

}  // namespace

std::vector<std::string> inflectionsOf(std::string_view word) {
  const std::string w(word);
  std::vector<std::string> forms{w + "s", w + "es", w + "ed", w + "ing"};
  if (w.size() < 2) return forms;
  const char last = w.back();
  const auto stem = w.substr(0, w.size() - 1);
  if (last == 'e') {
    forms.push_back(w + "d");
    forms.push_back(stem + "ing");
  } else if (last == 'y' && !isVowel(w[w.size() - 2])) {
    forms.push_back(stem + "ies");
    forms.push_back(stem + "ied");
  } else if (w.size() >= 3 && !isVowel(last) && last != 'w' && last != 'x' && last != 'y' &&
             isVowel(w[w.size() - 2]) && !isVowel(w[w.size() - 3])) {
    forms.push_back(w + last + "ed");
    forms.push_back(w + last + "ing");
  }
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
