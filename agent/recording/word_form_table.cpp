#include "agent/recording/word_form_table.hpp"

#include "common/fnv1a.hpp"

#include <algorithm>

namespace clubsafe::agent::recording {

std::uint64_t WordFormTable::filterHash(std::string_view word) noexcept {
  // The whole word: a key of its length and outer letters (one multiplication, tried first)
  // let through every ordinary word shaped like one of the many misspellings the libraries
  // read ("acount" for "account" has the outline of "accent"), a fifth of all words.
  // FNV-1a, inline: std::hash is a call per word, and words are short. The last multiply and
  // shift mix the high bits down, which the filter's index (the low bits) needs.
  const auto hash = common::fnv1a64(word) * 0x9E3779B97F4A7C15ULL;
  return hash ^ (hash >> 29);
}

WordFormTable::WordFormTable(const std::unordered_map<std::string, std::string>& forms) {
  for (const auto& [variant, canonical] : forms) {
    // A reading that is itself read as another ("bulying" → "bullying" → "bully") goes straight
    // to the last; one step is enough, as a word is never read as itself.
    const auto further = forms.find(canonical);
    forms_.emplace(variant, further == forms.end() ? canonical : further->second);
    const auto hash = filterHash(variant);
    filter_[(hash % kFilterBits) / 64] |= std::uint64_t{1} << (hash % 64);
    shortest_ = std::min(shortest_, variant.size());
    longest_ = std::max(longest_, variant.size());
  }
}

const std::string* WordFormTable::find(std::string_view word) const {
  if (word.size() < shortest_ || word.size() > longest_ || !mayHave(filterHash(word))) {
    return nullptr;
  }
  const auto it = forms_.find(word);
  return it == forms_.end() ? nullptr : &it->second;
}

std::string WordFormTable::rewritePiece(std::string_view piece) const {
  std::string out;
  std::size_t start = 0;
  while (start <= piece.size()) {
    auto end = piece.find(' ', start);
    if (end == std::string_view::npos) end = piece.size();
    const auto word = piece.substr(start, end - start);
    const bool whole = start > 0 && end < piece.size();
    const auto* canonical = whole ? find(word) : nullptr;
    out += canonical != nullptr ? std::string_view(*canonical) : word;
    if (end < piece.size()) out += ' ';
    start = end + 1;
  }
  return out;
}

bool WordFormTable::rewrite(const MatchText& text, MatchText& out) const {
  if (forms_.empty()) return false;
  const std::string_view in = text.text;
  bool changed = false;
  std::size_t copied = 0;
  const auto copy = [&](std::size_t from, std::size_t to) {
    out.text.append(in.substr(from, to - from));
    out.origin.insert(out.origin.end(), text.origin.begin() + static_cast<std::ptrdiff_t>(from),
                      text.origin.begin() + static_cast<std::ptrdiff_t>(to));
  };
  for (std::size_t wordStart = 1; wordStart < in.size();) {
    const auto end = in.find(' ', wordStart);
    if (end == std::string_view::npos) break;
    const auto word = in.substr(wordStart, end - wordStart);
    if (word.size() >= shortest_ && word.size() <= longest_ && mayHave(filterHash(word))) {
      if (const auto it = forms_.find(word); it != forms_.end()) {
        if (!changed) {
          out.text.clear();
          out.origin.clear();
          changed = true;
        }
        copy(copied, wordStart);
        out.text += it->second;
        out.origin.insert(out.origin.end(), it->second.size(), text.origin[wordStart]);
        copied = end;
      }
    }
    wordStart = end + 1;
  }
  if (changed) copy(copied, in.size());
  return changed;
}

}  // namespace clubsafe::agent::recording
