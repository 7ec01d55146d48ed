#pragma once

#include "agent/recording/phrase_library.hpp"
#include "agent/recording/text_normaliser.hpp"
#include "agent/recording/word_form_table.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Looks for every phrase of a library in a text at once, with one Aho–Corasick automaton
// (docs/PHRASES.md, "How matching works").
namespace clubsafe::agent::recording {

struct PhraseHit {
  std::string category;
  int severity = 0;
  std::string phrase;        // as written in the library; for a proximity rule "near 4: SET, SET"
  std::string rule;          // where it is written: "self-harm.txt line 12"
  std::string matched;       // the words of the text that matched, " … " between a rule's parts
  std::string why;           // "the phrase ...", "harm-word near self-reference within 4 words"
  bool helpSeeking = false;  // help-seeking words in the text lowered the severity
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
  // The severity of a hit in a text that is looking for help ("self harm helpline").
  static constexpr int kHelpSeekingSeverity = 2;

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
  // Where the rule's whole pattern matches around its anchor found at anchorStart, if it does.
  [[nodiscard]] std::optional<Candidate> verify(std::uint32_t rule, std::string_view text,
                                                std::size_t anchorStart) const;
  void record(const Candidate& candidate, std::vector<Candidate>& phrases,
              std::vector<Candidate>& exclusions) const;
  struct Scratch {
    MatchText normal;
    MatchText rewritten;
    std::vector<Candidate> phrases;  // and members of word sets
    std::vector<Candidate> exclusions;
    std::vector<Candidate> members;
    std::vector<std::uint32_t> memberWords;  // by member: the number of its first word
    std::vector<std::uint8_t> setsFound;     // by word set: 1 when a member is in the text
    std::vector<std::uint32_t> rulesToTry;   // proximity rules whose sets may all be here
  };
  // The words of the input between two byte offsets, valid UTF-8 within kMaxContextBytes.
  [[nodiscard]] static std::string wordsAt(std::string_view input, std::size_t first,
                                           std::size_t last);
  [[nodiscard]] PhraseHit makeHit(const Candidate& candidate, std::string_view input,
                                  const std::vector<std::uint32_t>& origin) const;
  // Offset, length, context and matched words of a hit on [start, end) of the matching form.
  static void placeHit(PhraseHit& hit, std::uint32_t start, std::uint32_t end,
                       std::string_view input, const std::vector<std::uint32_t>& origin);
  [[nodiscard]] bool excluded(std::uint32_t start, std::uint32_t end, std::uint16_t category,
                              const std::vector<Candidate>& exclusions) const;
  [[nodiscard]] const MatchText& withWordForms(const MatchText& text, MatchText& rewritten) const;
  void addProximityHits(Scratch& scratch, const MatchText& form, std::string_view input,
                        std::vector<PhraseHit>& hits) const;
  [[nodiscard]] std::optional<PhraseHit> proximityHit(std::size_t rule, const Scratch& scratch,
                                                      const MatchText& form,
                                                      std::string_view input) const;
  // A member of one of the rule's "unless" sets within its window of the words found.
  [[nodiscard]] bool hasContextNear(const ProximityRule& rule, const Scratch& scratch,
                                    std::uint32_t firstWord, std::uint32_t lastWord) const;
  // Intent, school work and help-seeking words in the text (docs/PHRASES.md).
  void applyContext(const Scratch& scratch, const MatchText& form, std::string_view input,
                    std::vector<PhraseHit>& hits) const;

  std::vector<PhraseRule> rules_;
  std::vector<ProximityRule> proximityRules_;
  std::vector<std::string> setNames_;
  std::uint32_t helpSeekingSet_ = PhraseRule::kNoSet;
  std::uint32_t intentSet_ = PhraseRule::kNoSet;
  std::uint32_t schoolWorkSet_ = PhraseRule::kNoSet;
  std::uint32_t firstPersonSet_ = PhraseRule::kNoSet;
  WordFormTable wordForms_;
  std::vector<std::uint16_t> proximityCategory_;
  // By word set: the proximity rules filed under it, each under the one of its sets with the
  // fewest members, so a text is weighed only against rules one of whose sets it holds.
  std::vector<std::vector<std::uint32_t>> proximityRulesBySet_;
  void fileProximityRules();
  std::vector<std::uint16_t> ruleCategory_;  // a small number per category, for exclusions
  std::size_t longestExclusion_ = 0;         // in the matching form, wildcards at their widest
  // The automaton as a full transition table: next_[row + class] is the row of the next state,
  // with kHasOutput set when that state (or a suffix of it) ends an anchor.
  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> depth_;        // by state
  std::vector<std::uint32_t> outputBegin_;  // by state: its own anchors in outputs_ ...
  std::vector<std::uint32_t> dictionary_;   // ... and the nearest shorter state with anchors
  std::vector<std::uint32_t> outputs_;      // rule indices
  // By output: 1 when its rule's pattern is the one before's (a member in several word sets,
  // "news" in 39), so the pattern is checked once for all of them.
  std::vector<std::uint8_t> samePatternAsBefore_;
};

}  // namespace clubsafe::agent::recording
