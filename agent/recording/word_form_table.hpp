#pragma once

#include "agent/recording/text_normaliser.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Words read as other words in text in matching form ("hurting" → "hurt", "kms" → "kill
// myself"): a library's word forms, looked up once per word behind a bit filter, so that the
// words of ordinary text cost a hash and one bit test each.
namespace clubsafe::agent::recording {

class WordFormTable {
 public:
  WordFormTable() = default;
  explicit WordFormTable(const std::unordered_map<std::string, std::string>& forms);

  // What `word` (no spaces) is read as, or nullptr.
  [[nodiscard]] const std::string* find(std::string_view word) const;
  // The words of `phrase` in matching form rewritten; words cut by a wildcard (a piece's first
  // or last word with no space beside it) stay as they are.
  [[nodiscard]] std::string rewritePiece(std::string_view piece) const;
  // `text` with every word read; false (and `out` not used) when no word changes. A word's
  // replacement takes the origin of its first byte.
  bool rewrite(const MatchText& text, MatchText& out) const;

  [[nodiscard]] bool empty() const noexcept { return forms_.empty(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  // 64 KiB: a few per cent of ordinary words pass with the 14,000 forms of the starter lexicon.
  static constexpr std::size_t kFilterBits = 1 << 19;
  // Of a word of at least one byte.
  static std::uint64_t filterHash(std::string_view word) noexcept;
  [[nodiscard]] bool mayHave(std::uint64_t hash) const noexcept {
    return ((filter_[(hash % kFilterBits) / 64] >> (hash % 64)) & 1U) != 0;
  }

  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> forms_;
  std::vector<std::uint64_t> filter_ = std::vector<std::uint64_t>(kFilterBits / 64, 0);
  std::size_t shortest_ = SIZE_MAX;
  std::size_t longest_ = 0;
};

}  // namespace clubsafe::agent::recording
