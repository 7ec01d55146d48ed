// False positives of the phrase libraries on benign English: Debian's manual pages (docs/
// PHRASES.md has the figures and how they were used to tune the exceptions).
//
//   phrase_false_positives [--phrases FOLDER] [--top N] [--all] [--wordnet] [PATH...]
//
// PATH (default /usr/share/man/man1 ... man8) is a folder searched for files or a file; each is
// read as roff, gzip-compressed or not. Roff is stripped simply (request lines keep their
// arguments, escapes are removed) and each paragraph is matched as one text. With --wordnet the
// files are WordNet's data files (Debian's wordnet-base: /usr/share/wordnet/data.*) and each
// gloss (a definition with its example sentences: everyday English) is one text. With --phrases the
// *.txt libraries of FOLDER are used instead of the compiled-in starter libraries, so exceptions
// can be tried without a rebuild. Prints hits per MB of text, by category, and the phrases that
// hit most with an example of each; with --all, also every hit with its whole text.
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "common/domain_index/line_reader.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

namespace rec = clubsafe::agent::recording;
namespace di = clubsafe::common::domain_index;

// The text of one roff line: a request line (".B word") keeps its arguments, a comment or a
// line of a table definition is dropped, and escapes (\fB, \(em, \*(Tm, \-, \&) go.
std::string stripRoff(std::string_view line) {
  if (line.starts_with(".\\\"") || line.starts_with("'\\\"") || line.starts_with(".\\#")) return {};
  if (line.starts_with('.') || line.starts_with('\'')) {
    const auto space = line.find(' ');
    line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  }
  std::string text;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') continue;  // roff's argument quotes
    if (line[i] != '\\' || i + 1 == line.size()) {
      text.push_back(line[i]);
      continue;
    }
    const char e = line[++i];
    const auto skipName = [&] {  // a one-character name, (xx, or [name]
      if (i + 1 >= line.size()) return;
      if (line[i + 1] == '(') {
        i = std::min(i + 3, line.size() - 1);
      } else if (line[i + 1] == '[') {
        const auto close = line.find(']', i);
        i = close == std::string_view::npos ? line.size() - 1 : close;
      } else {
        ++i;
      }
    };
    switch (e) {
      case 'f':
      case '*':
      case 'n':
      case 'F':
        skipName();
        break;
      case '(':
        i = std::min(i + 2, line.size() - 1);
        text.push_back(' ');
        break;
      case '[': {
        const auto close = line.find(']', i);
        i = close == std::string_view::npos ? line.size() - 1 : close;
        text.push_back(' ');
        break;
      }
      case 's':
        while (i + 1 < line.size() && (line[i + 1] == '+' || line[i + 1] == '-' ||
                                       (line[i + 1] >= '0' && line[i + 1] <= '9'))) {
          ++i;
        }
        break;
      case '-':
        text.push_back('-');
        break;
      case 'e':
        text.push_back('\\');
        break;
      case '&':
      case '%':
      case ':':
      case '/':
      case ',':
      case '|':
      case '^':
      case 'c':
        break;
      default:
        text.push_back(e);
    }
  }
  return text;
}

bool startsParagraph(std::string_view line) {
  for (const auto* request :
       {".PP", ".P", ".LP", ".SH", ".SS", ".TP", ".IP", ".HP", ".sp", ".br"}) {
    const std::string_view r(request);
    if (line.starts_with(r) && (line.size() == r.size() || line[r.size()] == ' ')) return true;
  }
  return line.empty();
}

struct PhraseCount {
  std::size_t hits = 0;
  std::string category;
  std::string example;
  std::string file;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> paths;
  std::filesystem::path phrases;
  std::size_t top = 25;
  bool wordnet = false;
  bool all = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--phrases" && i + 1 < argc) {
      phrases = argv[++i];
    } else if (arg == "--wordnet") {
      wordnet = true;
    } else if (arg == "--all") {
      all = true;
    } else if (arg == "--top" && i + 1 < argc) {
      top = std::stoul(argv[++i]);
    } else {
      paths.emplace_back(arg);
    }
  }
  if (paths.empty()) {
    for (int section = 1; section <= 8; ++section) {
      paths.emplace_back("/usr/share/man/man" + std::to_string(section));
    }
  }

  rec::PhraseLibrary library;
  if (phrases.empty()) {
    library.addStarterLibraries();
  } else {
    library.addFolder(phrases);
  }
  for (const auto& problem : library.problems()) std::cerr << problem.describe() << "\n";
  const rec::PhraseMatcher matcher(library);

  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());

  std::size_t bytes = 0;
  std::size_t paragraphs = 0;
  std::size_t hits = 0;
  std::map<std::string, std::size_t> byCategory;
  std::map<std::string, PhraseCount> byPhrase;
  double matchSeconds = 0;
  std::string paragraph;
  const auto flush = [&](const std::filesystem::path& file) {
    if (paragraph.empty()) return;
    bytes += paragraph.size();
    ++paragraphs;
    const auto start = std::chrono::steady_clock::now();
    const auto found = matcher.match(paragraph);
    matchSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const auto& hit : found) {
      ++hits;
      ++byCategory[hit.category];
      // Every hit on its own line, for counting by hand which ones are another meaning.
      if (all)
        std::printf("hit\t%s: %s\t%s\n", hit.category.c_str(), hit.phrase.c_str(),
                    paragraph.c_str());
      auto& count = byPhrase[hit.category + ": " + hit.phrase];
      if (count.hits++ == 0) {
        count.category = hit.category;
        count.example = hit.context;
        count.file = file.filename().string();
      }
    }
    paragraph.clear();
  };
  for (const auto& file : files) {
    try {
      di::LineReader reader(file);
      di::LineReader::Line line;
      while (reader.next(line)) {
        if (line.tooLong) continue;
        if (wordnet) {
          const auto bar = line.text.find(" | ");
          if (bar == std::string_view::npos) continue;  // the licence at the top
          paragraph = line.text.substr(bar + 3);
          flush(file);
          continue;
        }
        if (startsParagraph(line.text)) flush(file);
        const auto text = stripRoff(line.text);
        if (text.empty()) continue;
        if (!paragraph.empty()) paragraph.push_back(' ');
        paragraph += text;
      }
      flush(file);
    } catch (const di::ImportError& error) {
      std::cerr << error.what() << "\n";
    }
  }

  const double megabytes = static_cast<double>(bytes) / 1e6;
  std::printf("files %zu, text %.1f MB in %zu paragraphs, %zu phrases and %zu exceptions\n",
              files.size(), megabytes, paragraphs, library.phraseCount(),
              library.rules().size() - library.phraseCount());
  std::printf("hits %zu: %.2f per MB; matching took %.2f s (%.0f MB/s)\n", hits,
              static_cast<double>(hits) / megabytes, matchSeconds, megabytes / matchSeconds);
  for (const auto& [category, count] : byCategory) {
    std::printf("  %-22s %6zu  %.2f per MB\n", category.c_str(), count,
                static_cast<double>(count) / megabytes);
  }
  std::vector<std::pair<std::size_t, std::string>> ranked;
  for (const auto& [phrase, count] : byPhrase) ranked.emplace_back(count.hits, phrase);
  std::sort(ranked.rbegin(), ranked.rend());
  std::printf("top phrases:\n");
  for (std::size_t i = 0; i < std::min(top, ranked.size()); ++i) {
    const auto& count = byPhrase[ranked[i].second];
    auto example = count.example.substr(0, 140);
    std::printf("%6zu  %s\n        %s: %s\n", ranked[i].first, ranked[i].second.c_str(),
                count.file.c_str(), example.c_str());
  }
  return 0;
}
