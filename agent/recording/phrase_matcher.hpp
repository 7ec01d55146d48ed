#pragma once

#include "agent/recording/phrase_library.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Looks for every phrase of a library in a text at once, with one Aho–Corasick automaton
// (docs/PHRASES.md, "How matching works").
namespace clubsafe::agent::recording {

struct PhraseHit {
  std::string category;
  int severity = 0;
  std::string phrase;   // as written in the library
  std::string context;  // the matched text with up to kContextCharacters either side, valid UTF-8
  std::size_t offset = 0;  // of the matched text in the input, in bytes
  std::size_t length = 0;
};

class PhraseMatcher {
 public:
  // Only the first this many bytes of a text are looked at: titles, URLs and search terms are
  // far shorter, and the cost of one call stays bounded.
  static constexpr std::size_t kMaxTextBytes = 1 << 20;
  static constexpr std::size_t kContextCharacters = 60;
  static constexpr std::size_t kMaxContextBytes = 480;
  static constexpr std::size_t kMaxHits = 16;

  explicit PhraseMatcher(const PhraseLibrary& library);

  // One hit per phrase, at its first occurrence not covered by an exclusion of the same category,
  // in order of position; at most kMaxHits.
  [[nodiscard]] std::vector<PhraseHit> match(std::string_view text) const;

  [[nodiscard]] std::size_t ruleCount() const noexcept { return rules_.size(); }
  [[nodiscard]] std::size_t stateCount() const noexcept { return depth_.size(); }

 private:
  struct Candidate {
    std::uint32_t rule;
    std::uint32_t start;  // in the matching form, [start, end)
    std::uint32_t end;
  };
  void verify(std::uint32_t rule, std::string_view text, std::size_t anchorStart,
              std::vector<Candidate>& phrases, std::vector<Candidate>& exclusions) const;
  [[nodiscard]] PhraseHit makeHit(const Candidate& candidate, std::string_view input,
                                  const std::vector<std::uint32_t>& origin) const;

  std::vector<PhraseRule> rules_;
  std::vector<std::uint16_t> ruleCategory_;  // a small number per category, for exclusions
  std::size_t longestExclusion_ = 0;         // in the matching form, wildcards at their widest
  // The automaton as a full transition table: next_[row + class] is the row of the next state,
  // with kHasOutput set when that state (or a suffix of it) ends an anchor.
  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> depth_;        // by state
  std::vector<std::uint32_t> outputBegin_;  // by state: its own anchors in outputs_ ...
  std::vector<std::uint32_t> dictionary_;   // ... and the nearest shorter state with anchors
  std::vector<std::uint32_t> outputs_;      // rule indices
};

}  // namespace clubsafe::agent::recording
