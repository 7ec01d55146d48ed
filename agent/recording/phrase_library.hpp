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
  std::string category;
  int severity = 0;  // 1 (note it) to 5 (act now); 0 for an exclusion
  bool exclusion = false;
  std::string phrase;  // as written
  PhrasePattern pattern;
  std::string source;  // file name
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
  static constexpr std::size_t kMaxRules = 50000;

  // Lines of one library; `source` names it in problems.
  void addText(std::string_view text, std::string_view source);
  // A library file; one that cannot be read is a problem, not an exception.
  void addFile(const std::filesystem::path& path);
  // Every *.txt file in a folder, in name order.
  void addFolder(const std::filesystem::path& folder);
  // The starter libraries compiled into the agent (agent/recording/phrases/).
  void addStarterLibraries();

  [[nodiscard]] const std::vector<PhraseRule>& rules() const noexcept { return rules_; }
  [[nodiscard]] const std::vector<PhraseProblem>& problems() const noexcept { return problems_; }
  [[nodiscard]] std::size_t phraseCount() const noexcept;

 private:
  void addLines(common::domain_index::LineReader& reader, std::string_view source);
  void addLine(std::string_view line, std::string_view source, std::uint64_t number,
               std::string& category);

  std::vector<PhraseRule> rules_;
  std::vector<PhraseProblem> problems_;
  // category, kind and matching form of every rule -> its index in rules_, to refuse duplicates
  std::unordered_map<std::string, std::size_t> seen_;
};

// The names of the starter library files, in order.
[[nodiscard]] std::vector<std::string> starterLibraryNames();

}  // namespace clubsafe::agent::recording
