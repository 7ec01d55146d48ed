#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clubsafe::common::domain_index {
class LineReader;
}

// Safeguarding phrase libraries (SPEC R5): the text format of docs/PHRASES.md, read line by line
// with every bad line reported and skipped, never fatal.
namespace clubsafe::agent::recording {

// A phrase in matching form split at its wildcards: "kill* myself" is " kill" * " myself ".
// Each '*' stands for up to kMaxWildcardBytes characters of one word (no space).
struct PhrasePattern {
  std::vector<std::string> pieces;
  std::size_t anchor = 0;  // the longest piece: the one the automaton looks for

  static constexpr std::size_t kMaxWildcards = 3;
  static constexpr std::size_t kMaxWildcardBytes = 24;
  static constexpr std::size_t kMaxBytes = 160;  // the whole phrase in matching form
  static constexpr std::size_t kMinAnchorLetters = 3;
};

// The pattern of a phrase as written in a library, or nullopt with `error` saying why not (in
// words for the person who wrote the line).
[[nodiscard]] std::optional<PhrasePattern> compilePhrase(std::string_view phrase,
                                                         std::string& error);

struct PhraseRule {
  static constexpr std::uint32_t kNoSet = UINT32_MAX;

  std::string category;  // empty for a member of a word set
  int severity = 0;      // 1 (note it) to 5 (act now); 0 for an exclusion or a member
  bool exclusion = false;
  std::uint32_t set = kNoSet;  // the word set (PhraseLibrary::sets()) this phrase is a member of
  std::string phrase;          // as written
  PhrasePattern pattern;
  std::string source;  // file name
  std::uint64_t line = 0;
};

// "S near N: SET, SET[, SET] [unless SET, SET]": a member of each set within a window of N words,
// and no member of an "unless" set within N words of them (docs/PHRASES.md).
struct ProximityRule {
  static constexpr std::uint32_t kMaxWindow = 30;
  static constexpr std::size_t kMaxSets = 4;
  // All libraries together: each rule costs a pass over a text's set members (at most 1,024).
  static constexpr std::size_t kMaxRules = 1000;

  std::string category;
  int severity = 0;
  std::vector<std::uint32_t> sets;
  std::vector<std::uint32_t> unless;  // sets whose members nearby say it is something else
  std::uint32_t window = 0;           // words from the first member's first word to the last one's
  std::string text;  // as written, after the severity: "near 4: harm-word, self-reference"
  std::string source;
  std::uint64_t line = 0;
};

struct PhraseProblem {
  std::string source;
  std::uint64_t line = 0;  // 0: the file as a whole
  std::string reason;

  // "self-harm.txt line 12: <reason>"
  [[nodiscard]] std::string describe() const;
};

class PhraseLibrary {
 public:
  // Phrases and exceptions of all files together; lines past this are reported and skipped, so
  // that no library can make an automaton too large to build (PhraseMatcher).
  static constexpr std::size_t kMaxRules = 70000;

  // Lines of one library; `source` names it in problems.
  void addText(std::string_view text, std::string_view source);
  // A library file; one that cannot be read is a problem, not an exception.
  void addFile(const std::filesystem::path& path);
  // Every *.txt file in a folder, in name order.
  void addFolder(const std::filesystem::path& folder);
  // The starter libraries compiled into the agent (agent/recording/phrases/).
  void addStarterLibraries();

  // Names of the word sets the help-seeking context and intent are read from (docs/PHRASES.md).
  static constexpr std::string_view kHelpSeekingSet = "help-seeking";
  static constexpr std::string_view kIntentSet = "intent";
  static constexpr std::string_view kSchoolWorkSet = "school-work";
  static constexpr std::string_view kFirstPersonSet = "first-person";

  [[nodiscard]] const std::vector<PhraseRule>& rules() const noexcept { return rules_; }
  [[nodiscard]] const std::vector<ProximityRule>& proximityRules() const noexcept {
    return proximityRules_;
  }
  [[nodiscard]] const std::vector<std::string>& sets() const noexcept { return sets_; }
  // Words read as other words, in matching form without the outer spaces: "hurting" -> "hurt",
  // "sucide" -> "suicide", "kms" -> "kill myself".
  [[nodiscard]] const std::unordered_map<std::string, std::string>& wordForms() const noexcept {
    return wordForms_;
  }
  [[nodiscard]] const std::vector<PhraseProblem>& problems() const noexcept { return problems_; }
  [[nodiscard]] std::size_t phraseCount() const noexcept;

 private:
  void addLines(common::domain_index::LineReader& reader, std::string_view source);
  void addLine(std::string_view line, std::string_view source, std::uint64_t number,
               std::string& category);
  // The word-form and word-set lines; false when `line` is none of them.
  void addRule(PhraseRule rule, std::string_view phrase, std::string_view source,
               std::uint64_t number);
  bool addLexiconLine(std::string_view line, std::string_view source, std::uint64_t number);
  void addProximityRule(std::string_view text, int severity, const std::string& category,
                        std::string_view source, std::uint64_t number);
  void addWordForm(std::string variant, const std::string& canonical);

  std::vector<PhraseRule> rules_;
  std::vector<ProximityRule> proximityRules_;
  std::vector<std::string> sets_;
  std::unordered_map<std::string, std::string> wordForms_;
  std::vector<PhraseProblem> problems_;
  // category, kind and matching form of every rule -> its index in rules_, to refuse duplicates
  std::unordered_map<std::string, std::size_t> seen_;
};

// The starter library of word forms and word sets, loaded before the others.
inline constexpr std::string_view kLexiconFile = "lexicon.txt";

// The names of the starter library files, in order.
[[nodiscard]] std::vector<std::string> starterLibraryNames();

}  // namespace clubsafe::agent::recording
