#include "tests/safeguarding/recall_corpus.hpp"

#include "common/domain_index/line_reader.hpp"
#include "common/fnv1a.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>

namespace clubsafe::tests::safeguarding {
namespace {

std::optional<Label> parseLabel(std::string_view word) {
  if (word == "risky") return Label::Risky;
  if (word == "benign") return Label::Benign;
  if (word == "help") return Label::Help;
  return std::nullopt;
}

std::string lowerCase(std::string_view text) {
  std::string lower(text);
  std::ranges::transform(lower, lower.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// The four tab-separated columns, or fewer when the line has fewer.
std::vector<std::string_view> columnsOf(std::string_view line) {
  std::vector<std::string_view> columns;
  while (columns.size() < 3) {
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos) break;
    columns.push_back(line.substr(0, tab));
    line.remove_prefix(tab + 1);
  }
  columns.push_back(line);
  return columns;
}

}  // namespace

std::string CorpusProblem::describe() const {
  return source + " line " + std::to_string(line) + ": " + reason;
}

const std::vector<std::string>& corpusCategories() {
  static const std::vector<std::string> categories{
      "self-harm", "bullying",         "extremism", "sexual-exploitation",
      "drugs",     "weapons-violence", "hate"};
  return categories;
}

Split splitOf(std::string_view text) {
  return (common::fnv1a64(text) & 1U) == 0 ? Split::Dev : Split::Test;
}

void Corpus::addText(std::string_view text, std::string_view source) {
  common::domain_index::LineReader reader(text);
  common::domain_index::LineReader::Line line;
  while (reader.next(line)) {
    if (line.tooLong) {
      problems_.push_back({std::string(source), line.number, "the line is too long"});
      continue;
    }
    addLine(line.text, source, line.number);
  }
}

void Corpus::addFolder(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".tsv") files.push_back(entry.path());
  }
  if (error) {
    problems_.push_back({folder.string(), 0, "cannot read the folder: " + error.message()});
    return;
  }
  std::ranges::sort(files);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      problems_.push_back({file.filename().string(), 0, "cannot read the file"});
      continue;
    }
    addText(text.str(), file.filename().string());
  }
}

void Corpus::addLine(std::string_view line, std::string_view source, std::uint64_t number) {
  if (line.empty() || line.front() == '#') return;
  const auto problem = [&](std::string reason) {
    problems_.push_back({std::string(source), number, std::move(reason)});
  };
  const auto columns = columnsOf(line);
  if (columns.size() != 4) return problem("expected label, category, kind and text, tab-separated");
  const auto label = parseLabel(columns[0]);
  if (!label) return problem("the label must be risky, benign or help");
  if (std::ranges::find(corpusCategories(), columns[1]) == corpusCategories().end()) {
    return problem("unknown category \"" + std::string(columns[1]) + "\"");
  }
  if (columns[2] != "search" && columns[2] != "title") {
    return problem("the kind must be search or title");
  }
  if (columns[3].empty() || columns[3].find('\t') != std::string_view::npos) {
    return problem("the text must be one non-empty column");
  }
  const auto where = std::string(source) + " line " + std::to_string(number);
  const auto [first, added] = seen_.emplace(lowerCase(columns[3]), where);
  if (!added) return problem("the same text as " + first->second);
  entries_.push_back(
      {*label, std::string(columns[1]), columns[2] == "title", std::string(columns[3])});
}

}  // namespace clubsafe::tests::safeguarding
