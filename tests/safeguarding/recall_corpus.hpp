#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// The safeguarding evaluation corpus (tests/data/safeguarding/, docs/PHRASES.md "The evaluation
// corpus"): labelled searches and window titles, one a line, split into a development part to
// tune on and a test part to report on.
namespace clubsafe::tests::safeguarding {

enum class Label { Risky, Benign, Help };
enum class Split { Dev, Test };

struct CorpusEntry {
  Label label = Label::Benign;
  std::string category;
  bool title = false;  // a window or page title; otherwise a search
  std::string text;
};

struct CorpusProblem {
  std::string source;
  std::uint64_t line = 0;  // 0: the file as a whole
  std::string reason;

  [[nodiscard]] std::string describe() const;
};

// The categories of the starter libraries, in the order tables show them.
[[nodiscard]] const std::vector<std::string>& corpusCategories();

// Dev or test, from the low bit of the FNV-1a 64 hash of the text as written: stable when lines
// are added, moved or relabelled, and about half of each category either way.
[[nodiscard]] Split splitOf(std::string_view text);

class Corpus {
 public:
  // `label<TAB>category<TAB>kind<TAB>text` lines; `#` comments and blank lines are skipped, and
  // every bad line is reported and skipped.
  void addText(std::string_view text, std::string_view source);
  // Every *.tsv file of a folder, in name order.
  void addFolder(const std::filesystem::path& folder);

  [[nodiscard]] const std::vector<CorpusEntry>& entries() const noexcept { return entries_; }
  [[nodiscard]] const std::vector<CorpusProblem>& problems() const noexcept { return problems_; }

 private:
  void addLine(std::string_view line, std::string_view source, std::uint64_t number);

  std::vector<CorpusEntry> entries_;
  std::vector<CorpusProblem> problems_;
  std::unordered_map<std::string, std::string> seen_;  // lower-case text -> where it was first
};

}  // namespace clubsafe::tests::safeguarding
