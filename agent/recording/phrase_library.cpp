#include "agent/recording/phrase_library.hpp"

#include "agent/recording/text_normaliser.hpp"
#include "agent/recording/word_forms.hpp"
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
constexpr std::string_view kSpellingKey = "spelling ";
constexpr std::string_view kFormsKey = "forms:";
constexpr std::string_view kTyposKey = "typos:";
constexpr std::string_view kWordsKey = "words ";
constexpr std::string_view kNearKey = "near ";
constexpr std::string_view kUnlessKey = " unless ";
constexpr std::size_t kMaxCategoryLength = 40;
// Words read as other words, all libraries together (typos make about three a letter).
constexpr std::size_t kMaxWordForms = 200000;

// The items of "a, b, c", trimmed; empty ones kept so that they can be reported.
std::vector<std::string_view> commaList(std::string_view text) {
  std::vector<std::string_view> items;
  while (true) {
    const auto comma = text.find(',');
    items.push_back(di::trim(text.substr(0, comma)));
    if (comma == std::string_view::npos) return items;
    text.remove_prefix(comma + 1);
  }
}

// A word or words in matching form without the outer spaces, or empty when `text` has none or
// has a wildcard or a letter that is not English.
std::string matchingWords(std::string_view text) {
  auto words = normalisePhrase(text);
  if (words.size() < 3 || words.find('*') != std::string::npos ||
      std::any_of(words.begin(), words.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return {};
  }
  return words.substr(1, words.size() - 2);
}

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
  return static_cast<std::size_t>(std::count_if(rules_.begin(), rules_.end(), [](const auto& rule) {
    return !rule.exclusion && rule.set == PhraseRule::kNoSet;
  }));
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

  if (addLexiconLine(line, source, number)) return;

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
  if (category.empty()) {
    problem("no good 'category:' line comes before this one");
    return;
  }
  if (!rule.exclusion && phrase.starts_with(kNearKey)) {
    addProximityRule(phrase, rule.severity, category, source, number);
    return;
  }
  rule.category = category;
  addRule(std::move(rule), phrase, source, number);
}

void PhraseLibrary::addRule(PhraseRule rule, std::string_view phrase, std::string_view source,
                            std::uint64_t number) {
  const auto problem = [&](std::string reason) {
    problems_.push_back({std::string(source), number, std::move(reason)});
  };
  if (rules_.size() >= kMaxRules) {
    problem("the phrase libraries already hold " + std::to_string(kMaxRules) +
            " phrases, exceptions and set members, the most there may be; this one is skipped");
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

  std::string key = rule.category;
  key += rule.set != PhraseRule::kNoSet ? "\nset\n" + sets_[rule.set] + "\n"
         : rule.exclusion               ? "\nexcept\n"
                                        : "\nphrase\n";
  for (const auto& piece : pattern->pieces) key += piece + "*";
  if (const auto [it, added] = seen_.try_emplace(std::move(key), rules_.size()); !added) {
    const auto& first = rules_[it->second];
    problem("the same phrase as " + first.source + " line " + std::to_string(first.line) + " (\"" +
            first.phrase + "\"); only the first counts");
    return;
  }
  rule.phrase = phrase;
  rule.pattern = std::move(*pattern);
  rule.source = source;
  rule.line = number;
  rules_.push_back(std::move(rule));
}

bool PhraseLibrary::addLexiconLine(std::string_view line, std::string_view source,
                                   std::uint64_t number) {
  const auto problem = [&](std::string reason) {
    problems_.push_back({std::string(source), number, std::move(reason)});
  };
  const auto colon = line.find(':');
  const auto items = commaList(colon == std::string_view::npos ? "" : line.substr(colon + 1));
  const bool forms = line.starts_with(kFormsKey);
  const bool typos = line.starts_with(kTyposKey);
  if (forms || typos || line.starts_with(kSpellingKey)) {
    const auto canonical =
        forms || typos || colon == std::string_view::npos
            ? std::string()
            : matchingWords(line.substr(kSpellingKey.size(), colon - kSpellingKey.size()));
    if (colon == std::string_view::npos || (!forms && !typos && canonical.empty())) {
      problem("expected 'spelling WORDS: VARIANT, VARIANT', 'forms: WORD, WORD' or 'typos: WORD'");
      return true;
    }
    for (const auto item : items) {
      const auto word = matchingWords(item);
      if (word.empty() || word.find(' ') != std::string::npos) {
        problem("\"" + std::string(item) + "\" is not one word of English letters and digits");
        continue;
      }
      if (typos && word.size() < kMinTypoLetters) {
        problem("\"" + word +
                "\" is too short for typos: one letter more or less makes too many "
                "other words; list its misspellings on a 'spelling' line");
        continue;
      }
      if (!forms && !typos) addWordForm(word, canonical);
      for (auto& form : forms   ? inflectionsOf(word)
                        : typos ? typosOf(word)
                                : std::vector<std::string>{}) {
        addWordForm(std::move(form), word);
      }
    }
    return true;
  }
  if (!line.starts_with(kWordsKey)) return false;
  const auto name = di::trim(line.substr(kWordsKey.size(), colon - kWordsKey.size()));
  if (colon == std::string_view::npos || !isCategoryName(name)) {
    problem("expected 'words NAME: PHRASE, PHRASE', the name 1 to 40 of a-z, 0-9 and '-'");
    return true;
  }
  auto set = std::find(sets_.begin(), sets_.end(), name);
  if (set == sets_.end()) set = sets_.insert(sets_.end(), std::string(name));
  for (const auto item : items) {
    PhraseRule member;
    member.set = static_cast<std::uint32_t>(set - sets_.begin());
    addRule(std::move(member), item, source, number);
  }
  return true;
}

void PhraseLibrary::addWordForm(std::string variant, const std::string& canonical) {
  // The first reading of a word counts; a word is never read as itself.
  if (wordForms_.size() >= kMaxWordForms || variant == canonical) return;
  wordForms_.try_emplace(std::move(variant), canonical);
}

void PhraseLibrary::addProximityRule(std::string_view text, int severity,
                                     const std::string& category, std::string_view source,
                                     std::uint64_t number) {
  const auto problem = [&](std::string reason) {
    problems_.push_back({std::string(source), number, std::move(reason)});
  };
  if (proximityRules_.size() >= ProximityRule::kMaxRules) {
    problem("the libraries already hold " + std::to_string(ProximityRule::kMaxRules) +
            " 'near' rules, the most there may be; this one is skipped");
    return;
  }
  ProximityRule rule;
  const auto colon = text.find(':');
  const auto window = di::trim(text.substr(kNearKey.size(), colon - kNearKey.size()));
  const bool digits =
      !window.empty() && window.size() <= 2 &&
      std::all_of(window.begin(), window.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (colon == std::string_view::npos || !digits) {
    problem("expected 'near N: SET, SET', N the most words from the first to the last");
    return;
  }
  rule.window = static_cast<std::uint32_t>(std::stoul(std::string(window)));
  if (rule.window < 1 || rule.window > ProximityRule::kMaxWindow) {
    problem("the window of a 'near' rule is 1 to " + std::to_string(ProximityRule::kMaxWindow) +
            " words");
    return;
  }
  auto sets = text.substr(colon + 1);
  std::string_view unless;
  if (const auto at = sets.find(kUnlessKey); at != std::string_view::npos) {
    unless = sets.substr(at + kUnlessKey.size());
    sets = sets.substr(0, at);
  }
  const auto names = commaList(sets);
  if (names.size() < 2 || names.size() > ProximityRule::kMaxSets) {
    problem("a 'near' rule names 2 to " + std::to_string(ProximityRule::kMaxSets) + " word sets");
    return;
  }
  const auto addSets = [&](const std::vector<std::string_view>& list,
                           std::vector<std::uint32_t>& into) {
    for (const auto name : list) {
      const auto set = std::find(sets_.begin(), sets_.end(), name);
      if (set == sets_.end()) {
        problem("no word set \"" + std::string(name) +
                "\" comes before this line (a 'words NAME: ...' line, here or in an earlier "
                "library)");
        return false;
      }
      into.push_back(static_cast<std::uint32_t>(set - sets_.begin()));
    }
    return true;
  };
  if (!addSets(names, rule.sets)) return;
  if (!unless.empty()) {
    const auto unlessNames = commaList(unless);
    if (unlessNames.size() > ProximityRule::kMaxSets) {
      problem("a 'near' rule names at most " + std::to_string(ProximityRule::kMaxSets) +
              " word sets after 'unless'");
      return;
    }
    if (!addSets(unlessNames, rule.unless)) return;
  }
  rule.category = category;
  rule.severity = severity;
  rule.text = text;
  rule.source = source;
  rule.line = number;
  proximityRules_.push_back(std::move(rule));
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
  // The lexicon first: the other libraries use its word sets.
  const auto& files = starter::embeddedFiles();
  if (const auto lexicon = files.find(std::string(kLexiconFile)); lexicon != files.end()) {
    addText(lexicon->second, lexicon->first);
  }
  for (const auto& [name, text] : files) {
    if (name != kLexiconFile) addText(text, name);
  }
}

std::vector<std::string> starterLibraryNames() {
  std::vector<std::string> names{std::string(kLexiconFile)};
  for (const auto& [name, text] : starter::embeddedFiles()) {
    if (name != kLexiconFile) names.push_back(name);
  }
  return names;
}

}  // namespace clubsafe::agent::recording
