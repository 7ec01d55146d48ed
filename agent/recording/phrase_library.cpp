#include "agent/recording/phrase_library.hpp"

#include "agent/recording/text_normaliser.hpp"
#include "common/domain_index/line_reader.hpp"
#include "common/domain_index/list_import.hpp"

#include <algorithm>
#include <map>

// Generated from agent/recording/phrases/ by clubsafe_embed_files (cmake/EmbedFiles.cmake).
namespace clubsafe::agent::recording::starter {
const std::map<std::string, std::string_view>& embeddedFiles();
}

namespace clubsafe::agent::recording {
namespace {

namespace di = common::domain_index;

constexpr std::string_view kCategoryKey = "category:";
constexpr std::string_view kExceptKey = "except";
constexpr std::size_t kMaxCategoryLength = 40;

bool isCategoryName(std::string_view name) noexcept {
  return !name.empty() && name.size() <= kMaxCategoryLength &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::size_t lettersAndDigits(std::string_view piece) noexcept {
  return static_cast<std::size_t>(
      std::count_if(piece.begin(), piece.end(), [](char c) { return c != ' ' && c != '*'; }));
}

bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t';
}

}  // namespace

std::optional<PhrasePattern> compilePhrase(std::string_view phrase, std::string& error) {
  auto text = normalisePhrase(phrase);
  // "**" means no more than "*".
  text.erase(
      std::unique(text.begin(), text.end(), [](char a, char b) { return a == '*' && b == '*'; }),
      text.end());
  if (text.size() > PhrasePattern::kMaxBytes) {
    error = "the phrase is longer than " + std::to_string(PhrasePattern::kMaxBytes) +
            " characters; shorten it";
    return std::nullopt;
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    error = "the phrase has characters other than English letters and digits, which never match";
    return std::nullopt;
  }
  PhrasePattern pattern;
  std::size_t start = 0;
  while (true) {
    const auto star = text.find('*', start);
    pattern.pieces.push_back(text.substr(start, star - start));
    if (star == std::string::npos) break;
    start = star + 1;
  }
  if (pattern.pieces.size() - 1 > PhrasePattern::kMaxWildcards) {
    error = "the phrase has more than " + std::to_string(PhrasePattern::kMaxWildcards) +
            " wildcards (*)";
    return std::nullopt;
  }
  for (std::size_t i = 1; i < pattern.pieces.size(); ++i) {
    if (pattern.pieces[i].size() > pattern.pieces[pattern.anchor].size()) pattern.anchor = i;
  }
  if (lettersAndDigits(pattern.pieces[pattern.anchor]) < PhrasePattern::kMinAnchorLetters) {
    error = "the phrase needs at least " + std::to_string(PhrasePattern::kMinAnchorLetters) +
            " letters or digits in a row outside its wildcards";
    return std::nullopt;
  }
  return pattern;
}

std::string PhraseProblem::describe() const {
  if (line == 0) return source + ": " + reason;
  return source + " line " + std::to_string(line) + ": " + reason;
}

std::size_t PhraseLibrary::phraseCount() const noexcept {
  return static_cast<std::size_t>(std::count_if(rules_.begin(), rules_.end(),
                                                [](const auto& rule) { return !rule.exclusion; }));
}

void PhraseLibrary::addLine(std::string_view raw, std::string_view source, std::uint64_t number,
                            std::string& category) {
  const auto problem = [&](std::string reason) {
    problems_.push_back({std::string(source), number, std::move(reason)});
  };
  const auto line = di::stripComment(raw, '#');
  if (line.empty()) return;

  if (line.starts_with(kCategoryKey)) {
    const auto name = di::trim(line.substr(kCategoryKey.size()));
    if (!isCategoryName(name)) {
      // Later lines would otherwise be filed under the previous category.
      category.clear();
      problem(
          "a category name is 1 to 40 lower-case letters, digits and '-'; the lines up to "
          "the next good 'category:' line are skipped");
      return;
    }
    category = name;
    return;
  }

  PhraseRule rule;
  std::string_view phrase;
  if (line.starts_with(kExceptKey) && line.size() > kExceptKey.size() &&
      isSpace(line[kExceptKey.size()])) {
    rule.exclusion = true;
    phrase = di::trim(line.substr(kExceptKey.size()));
  } else if (line[0] >= '0' && line[0] <= '9' && (line.size() == 1 || isSpace(line[1]))) {
    rule.severity = line[0] - '0';
    if (rule.severity < 1 || rule.severity > 5) {
      problem("the severity must be 1 to 5");
      return;
    }
    phrase = di::trim(line.substr(1));
  } else {
    problem(
        "expected 'category: NAME', a severity 1 to 5 and a phrase ('4 kill* myself'), or "
        "'except PHRASE'");
    return;
  }
  if (rules_.size() >= kMaxRules) {
    problem("the phrase libraries already hold " + std::to_string(kMaxRules) +
            " phrases and exceptions, the most there may be; this one is skipped");
    return;
  }
  if (category.empty()) {
    problem("no good 'category:' line comes before this one");
    return;
  }
  if (phrase.empty()) {
    problem("the phrase is missing");
    return;
  }
  std::string error;
  auto pattern = compilePhrase(phrase, error);
  if (!pattern) {
    problem(std::move(error));
    return;
  }

  std::string key = category;
  key += rule.exclusion ? "\nexcept\n" : "\nphrase\n";
  for (const auto& piece : pattern->pieces) key += piece + "*";
  if (const auto [it, added] = seen_.try_emplace(std::move(key), rules_.size()); !added) {
    const auto& first = rules_[it->second];
    problem("the same phrase as " + first.source + " line " + std::to_string(first.line) + " (\"" +
            first.phrase + "\"); only the first counts");
    return;
  }
  rule.category = category;
  rule.phrase = phrase;
  rule.pattern = std::move(*pattern);
  rule.source = source;
  rule.line = number;
  rules_.push_back(std::move(rule));
}

void PhraseLibrary::addLines(di::LineReader& reader, std::string_view source) {
  std::string category;  // each file names its own
  di::LineReader::Line line;
  while (reader.next(line)) {
    if (line.tooLong) {
      problems_.push_back(
          {std::string(source), line.number,
           "the line is longer than " + std::to_string(di::LineReader::kMaxLineLength) + " bytes"});
      continue;
    }
    addLine(line.text, source, line.number, category);
  }
}

void PhraseLibrary::addText(std::string_view text, std::string_view source) {
  di::LineReader reader(text);
  addLines(reader, source);
}

void PhraseLibrary::addFile(const std::filesystem::path& path) {
  try {
    di::LineReader reader(path);
    addLines(reader, path.filename().string());
  } catch (const di::ImportError& error) {
    problems_.push_back({path.string(), 0, error.what()});
  }
}

void PhraseLibrary::addFolder(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code failed;
  for (std::filesystem::directory_iterator it(folder, failed), end; !failed && it != end;
       it.increment(failed)) {
    if (it->path().extension() == ".txt") files.push_back(it->path());
  }
  if (failed) {
    problems_.push_back({folder.string(), 0,
                         "the phrase library folder cannot be read (" + failed.message() + ")"});
    return;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) addFile(file);
}

void PhraseLibrary::addStarterLibraries() {
  for (const auto& [name, text] : starter::embeddedFiles()) addText(text, name);
}

std::vector<std::string> starterLibraryNames() {
  std::vector<std::string> names;
  for (const auto& [name, text] : starter::embeddedFiles()) names.push_back(name);
  return names;
}

}  // namespace clubsafe::agent::recording
