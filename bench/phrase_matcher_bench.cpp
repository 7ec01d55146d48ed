// The safeguarding phrase matcher (docs/PHRASES.md; figures in docs/PERFORMANCE.md): throughput
// over English text with the starter libraries plus generated phrases to make 5,000 or more, on
// short texts (the size of a title or a search) and on 1 MiB blocks; and the time to build the
// automaton. The text is every licence in /usr/share/common-licenses (on every Debian system),
// or the file named by CLUBSAFE_BENCH_TEXT, repeated to 8 MiB. CLUBSAFE_BENCH_PHRASES=FOLDER reads
// the libraries from a folder instead of the starter ones (as phrase_recall --phrases), so one
// binary measures libraries before and after a change, run alternately.
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace rec = clubsafe::agent::recording;

constexpr std::size_t kTextBytes = 8 << 20;
constexpr std::size_t kShortText = 120;  // a page title or a search, roughly
constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kPhrases = 5000;

std::string readText() {
  std::vector<std::filesystem::path> files;
  if (const char* file = std::getenv("CLUBSAFE_BENCH_TEXT")) {
    files.emplace_back(file);
  } else {
    for (const auto& entry : std::filesystem::directory_iterator("/usr/share/common-licenses")) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
  }
  std::string all;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    all += bytes.str();
  }
  if (all.empty()) throw std::runtime_error("no benchmark text");
  std::string text;
  while (text.size() < kTextBytes) text += all;
  text.resize(kTextBytes);
  return text;
}

void addLibraries(rec::PhraseLibrary& library) {
  if (const char* folder = std::getenv("CLUBSAFE_BENCH_PHRASES")) {
    library.addFolder(folder);
    if (!library.problems().empty()) throw std::runtime_error(library.problems()[0].describe());
  } else {
    library.addStarterLibraries();
  }
}

// Phrases of two or three words drawn from the text's 3,000 most common words, so that the
// automaton follows partial matches all the time (a harder case than real libraries, whose
// phrases are mostly rare words) while whole phrases match about as rarely as real ones; one in
// ten ends in a wildcard.
std::string generatedLibrary(const std::string& text, std::size_t count) {
  std::map<std::string, std::size_t> frequency;
  std::string word;
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word.push_back(static_cast<char>(c | 0x20));
    } else if (!word.empty()) {
      if (word.size() >= 3) ++frequency[word];
      word.clear();
    }
  }
  std::vector<std::pair<std::size_t, std::string>> byCount;
  for (const auto& [w, n] : frequency) byCount.emplace_back(n, w);
  std::sort(byCount.rbegin(), byCount.rend());
  byCount.resize(std::min<std::size_t>(byCount.size(), 3000));

  std::mt19937_64 random(20261124);
  const auto pick = [&] { return byCount[random() % byCount.size()].second; };
  std::string library = "category: generated\n";
  for (std::size_t i = 0; i < count; ++i) {
    std::string phrase = pick();
    for (std::size_t words = 2 + random() % 2; words > 1; --words) {
      phrase += ' ';
      phrase += pick();
    }
    if (i % 10 == 0) phrase += "*";
    library += std::to_string(1 + random() % 5) + " " + phrase + "\n";
  }
  return library;
}

struct Fixture {
  std::string text = readText();
  rec::PhraseLibrary library;
  std::size_t duplicates = 0;
  std::unique_ptr<rec::PhraseMatcher> matcher;

  Fixture() {
    addLibraries(library);
    // Some generated phrases repeat; generate until there are enough distinct ones.
    for (std::size_t round = 0; library.phraseCount() < kPhrases; ++round) {
      const auto before = library.problems().size();
      library.addText(generatedLibrary(text, kPhrases - library.phraseCount() + round * 7),
                      "generated-" + std::to_string(round));
      duplicates += library.problems().size() - before;
    }
    matcher = std::make_unique<rec::PhraseMatcher>(library);
  }
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

void counters(benchmark::State& state, std::size_t bytes, std::size_t hits) {
  const auto& data = fixture();
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["phrases"] = static_cast<double>(data.library.phraseCount());
  state.counters["rules"] = static_cast<double>(data.matcher->ruleCount());
  state.counters["states"] = static_cast<double>(data.matcher->stateCount());
  state.counters["hits_per_MiB"] =
      static_cast<double>(hits) / (static_cast<double>(bytes) / (1 << 20));
}

// Texts the size of a title or a search, one call each: the agent's real use.
void BM_MatchShortTexts(benchmark::State& state) {
  const auto& data = fixture();
  std::size_t offset = 0;
  std::size_t bytes = 0;
  std::size_t hits = 0;
  for (auto _ : state) {
    const std::string_view piece(data.text.data() + offset, kShortText);
    const auto found = data.matcher->match(piece);
    hits += found.size();
    bytes += kShortText;
    offset = (offset + kShortText) % (kTextBytes - kShortText);
    benchmark::DoNotOptimize(found);
  }
  counters(state, bytes, hits);
}
BENCHMARK(BM_MatchShortTexts);

// 1 MiB blocks: the automaton's own speed with little per-call cost.
void BM_MatchBlocks(benchmark::State& state) {
  const auto& data = fixture();
  std::size_t offset = 0;
  std::size_t bytes = 0;
  std::size_t hits = 0;
  for (auto _ : state) {
    const auto found = data.matcher->match(std::string_view(data.text.data() + offset, kBlock));
    hits += found.size();
    bytes += kBlock;
    offset = (offset + kBlock) % kTextBytes;
    benchmark::DoNotOptimize(found);
  }
  counters(state, bytes, hits);
}
BENCHMARK(BM_MatchBlocks)->Unit(benchmark::kMillisecond);

// The starter libraries alone (what the agent loads by default) on short texts.
void BM_MatchShortTextsStarterOnly(benchmark::State& state) {
  const auto& data = fixture();
  rec::PhraseLibrary starter;
  addLibraries(starter);
  const rec::PhraseMatcher matcher(starter);
  std::size_t offset = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        matcher.match(std::string_view(data.text.data() + offset, kShortText)));
    bytes += kShortText;
    offset = (offset + kShortText) % (kTextBytes - kShortText);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["phrases"] = static_cast<double>(starter.phraseCount());
  state.counters["states"] = static_cast<double>(matcher.stateCount());
}
BENCHMARK(BM_MatchShortTextsStarterOnly);

// Building the automaton from the loaded library (5,000+ phrases).
void BM_Build(benchmark::State& state) {
  const auto& data = fixture();
  for (auto _ : state) {
    rec::PhraseMatcher matcher(data.library);
    benchmark::DoNotOptimize(matcher);
  }
  // Transition table: states x 38 classes x 4 bytes.
  state.counters["table_MiB"] =
      static_cast<double>(data.matcher->stateCount()) * 38 * 4 / (1 << 20);
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
