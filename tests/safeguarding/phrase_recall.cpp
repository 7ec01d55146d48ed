// Prints the safeguarding corpus figures of the agent's starter libraries on the dev split (and on
// the test split only with --test, since tuning must not read it), and with --write-baseline FILE
// records the test split's as the figures CI holds the matcher to; another --corpus has no test
// part to keep, so both of its splits are printed; --show dev|test lists the risky lines of a split
// that raised no alert and the benign and help lines that did, with the phrases; --phrases FOLDER
// reads the libraries from a folder instead of the starter ones, to try edits without a rebuild
// (docs/PHRASES.md, "The evaluation corpus").
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "tests/safeguarding/recall_evaluation.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
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

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path corpusFolder = CLUBSAFE_SAFEGUARDING_CORPUS_DIR;
  std::filesystem::path baselineFile;
  std::filesystem::path phrasesFolder;
  std::string_view showSplit;
  bool readTestSplit = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--corpus" && i + 1 < argc) {
      corpusFolder = argv[++i];
    } else if (argument == "--write-baseline" && i + 1 < argc) {
      baselineFile = argv[++i];
    } else if (argument == "--test") {
      readTestSplit = true;
    } else if (argument == "--phrases" && i + 1 < argc) {
      phrasesFolder = argv[++i];
    } else if (argument == "--show" && i + 1 < argc) {
      showSplit = argv[++i];
      if (showSplit != "dev" && showSplit != "test") showSplit = "usage";
    } else {
      showSplit = "usage";
    }
  }
  // The baseline holds the figures of the libraries the agent ships, never of trial ones.
  if (showSplit == "usage" || (!phrasesFolder.empty() && !baselineFile.empty())) {
    std::cerr
        << "usage: phrase_recall [--corpus FOLDER] [--phrases FOLDER | --write-baseline FILE] "
           "[--show dev|test] [--test]\n";
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
  const bool testSplitIsHeldBack =
      corpusFolder == CLUBSAFE_SAFEGUARDING_CORPUS_DIR && !readTestSplit && baselineFile.empty();
  if (!showSplit.empty()) {
    if (showSplit == "test" && testSplitIsHeldBack) {
      std::cerr << "the test split is held back from tuning: add --test to read it\n";
      return EXIT_FAILURE;
    }
    show(matcher, corpus.entries(), showSplit == "dev" ? Split::Dev : Split::Test);
    return EXIT_SUCCESS;
  }
  std::cout << formatTable(evaluate(matcher, corpus.entries(), Split::Dev), "dev split");
  if (testSplitIsHeldBack) {
    std::cout
        << "\ntest split: held back from tuning (--test reads it, once, at the end of a pass)\n";
    return EXIT_SUCCESS;
  }
  const auto test = evaluate(matcher, corpus.entries(), Split::Test);
  std::cout << "\n" << formatTable(test, "test split");
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
