// Prints the safeguarding corpus figures of the agent's starter libraries on the dev and test
// splits, and with --write-baseline FILE records the test split's as the figures CI holds the
// matcher to; --show dev|test lists the risky lines of a split that raised no alert and the
// benign and help lines that did, with the phrases; --phrases FOLDER reads the libraries from a
// folder instead of the starter ones, to try edits without a rebuild (docs/PHRASES.md, "The
// evaluation corpus"); --features dev|all prints each line's label, category, the categories it
// alerts in, the word sets it holds and its text, for tests/safeguarding/train_scores.py (only the
// dev part of the evaluation corpus: the test part is never trained on).
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "tests/safeguarding/recall_evaluation.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <string_view>

using namespace clubsafe;
using tests::safeguarding::Label;
using tests::safeguarding::Split;

namespace {

void show(const agent::recording::PhraseMatcher& matcher,
          const std::vector<tests::safeguarding::CorpusEntry>& entries, Split split) {
  for (const auto& entry : entries) {
    if (tests::safeguarding::splitOf(entry.text) != split) continue;
    const auto alerts = tests::safeguarding::alertsFor(matcher, entry);
    if (entry.label == Label::Risky && alerts.empty()) {
      std::cout << "missed\t" << entry.category << "\t" << entry.text << "\n";
    }
    if (entry.label == Label::Risky || alerts.empty()) continue;
    std::cout << (entry.label == Label::Benign ? "false alert\t" : "help alerted\t")
              << entry.category << "\t" << entry.text;
    for (const auto& alert : alerts) {
      std::cout << "\t<- " << alert.payload->getValue<std::string>("category") << " "
                << alert.payload->getValue<int>("severity") << " \""
                << alert.payload->getValue<std::string>("phrase") << "\"";
    }
    std::cout << "\n";
  }
}

// label, category, the categories of its alerts (or "-"), its word sets and its text, a line each.
void printFeatures(const agent::recording::PhraseMatcher& matcher,
                   const std::vector<tests::safeguarding::CorpusEntry>& entries, bool devOnly) {
  constexpr std::array<std::string_view, 3> kLabels{"risky", "benign", "help"};
  for (const auto& entry : entries) {
    if (devOnly && tests::safeguarding::splitOf(entry.text) != Split::Dev) continue;
    std::set<std::string> alerted;
    for (const auto& alert : tests::safeguarding::alertsFor(matcher, entry)) {
      alerted.insert(alert.payload->getValue<std::string>("category"));
    }
    std::string categories;
    for (const auto& category : alerted) categories += (categories.empty() ? "" : ",") + category;
    std::string sets;
    for (const auto& set : matcher.wordSetsIn(entry.text)) sets += (sets.empty() ? "" : " ") + set;
    std::cout << kLabels[static_cast<std::size_t>(entry.label)] << "\t" << entry.category << "\t"
              << (categories.empty() ? "-" : categories) << "\t" << sets << "\t" << entry.text
              << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path corpusFolder = CLUBSAFE_SAFEGUARDING_CORPUS_DIR;
  std::filesystem::path baselineFile;
  std::filesystem::path phrasesFolder;
  std::string_view showSplit;
  std::string_view features;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--corpus" && i + 1 < argc) {
      corpusFolder = argv[++i];
    } else if (argument == "--write-baseline" && i + 1 < argc) {
      baselineFile = argv[++i];
    } else if (argument == "--phrases" && i + 1 < argc) {
      phrasesFolder = argv[++i];
    } else if (argument == "--features" && i + 1 < argc) {
      features = argv[++i];
      if (features != "dev" && features != "all") showSplit = "usage";
    } else if (argument == "--show" && i + 1 < argc) {
      showSplit = argv[++i];
      if (showSplit != "dev" && showSplit != "test") showSplit = "usage";
    } else {
      showSplit = "usage";
    }
  }
  // The baseline holds the figures of the libraries the agent ships, never of trial ones; the
  // evaluation corpus's test part is never printed for training.
  std::error_code unreadable;  // a folder that cannot be read is reported below
  const bool wholeCorpus =
      features == "all" &&
      std::filesystem::equivalent(corpusFolder, CLUBSAFE_SAFEGUARDING_CORPUS_DIR, unreadable);
  if (showSplit == "usage" || (!phrasesFolder.empty() && !baselineFile.empty()) || wholeCorpus) {
    std::cerr
        << "usage: phrase_recall [--corpus FOLDER] [--phrases FOLDER | --write-baseline FILE] "
           "[--show dev|test] [--features dev|all]\n"
           "  --features all only with another --corpus: the test part is never trained on\n";
    return EXIT_FAILURE;
  }
  tests::safeguarding::Corpus corpus;
  corpus.addFolder(corpusFolder);
  for (const auto& problem : corpus.problems()) std::cerr << problem.describe() << "\n";
  if (corpus.entries().empty()) return EXIT_FAILURE;

  agent::recording::PhraseLibrary library;
  if (phrasesFolder.empty()) {
    library.addStarterLibraries();
  } else {
    library.addFolder(phrasesFolder);
    for (const auto& problem : library.problems()) std::cerr << problem.describe() << "\n";
  }
  const agent::recording::PhraseMatcher matcher(library);
  if (!features.empty()) {
    printFeatures(matcher, corpus.entries(), features == "dev");
    return EXIT_SUCCESS;
  }
  if (!showSplit.empty()) {
    show(matcher, corpus.entries(), showSplit == "dev" ? Split::Dev : Split::Test);
    return EXIT_SUCCESS;
  }
  const auto dev = evaluate(matcher, corpus.entries(), Split::Dev);
  const auto test = evaluate(matcher, corpus.entries(), Split::Test);
  std::cout << formatTable(dev, "dev split") << "\n" << formatTable(test, "test split");
  if (baselineFile.empty()) return EXIT_SUCCESS;
  std::ofstream out(baselineFile, std::ios::binary | std::ios::trunc);
  out << formatBaseline(test);
  if (!out.flush()) {
    std::cerr << "cannot write " << baselineFile << "\n";
    return EXIT_FAILURE;
  }
  std::cout << "\nwrote " << baselineFile << "\n";
  return EXIT_SUCCESS;
}
