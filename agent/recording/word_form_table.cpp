#include "agent/recording/word_form_table.hpp"

#include <algorithm>

namespace clubsafe::agent::recording {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t step(std::uint64_t hash, char c) noexcept {
  return (hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
}

}  // namespace

std::uint64_t WordFormTable::filterHash(std::string_view word) noexcept {
  std::uint64_t hash = kFnvOffset;
  for (const char c : word) hash = step(hash, c);
  return hash;
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
  std::size_t wordStart = 1;
  std::uint64_t hash = kFnvOffset;
  for (std::size_t i = 1; i < in.size(); ++i) {
    if (in[i] != ' ') {
      hash = step(hash, in[i]);
      continue;
    }
    const auto length = i - wordStart;
    if (length >= shortest_ && length <= longest_ && mayHave(hash)) {
      if (const auto it = forms_.find(in.substr(wordStart, length)); it != forms_.end()) {
        if (!changed) {
          out.text.clear();
          out.origin.clear();
          changed = true;
        }
        copy(copied, wordStart);
        out.text += it->second;
        out.origin.insert(out.origin.end(), it->second.size(), text.origin[wordStart]);
        copied = i;
      }
    }
    wordStart = i + 1;
    hash = kFnvOffset;
  }
  if (changed) copy(copied, in.size());
  return changed;
}

}  // namespace clubsafe::agent::recording
