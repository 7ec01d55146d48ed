// Prints the safeguarding corpus figures of the agent's starter libraries on the dev split (and on
// the test split only with --test, since tuning must not read it), and with --write-baseline FILE
// records the test split's as the figures CI holds the matcher to; another --corpus has no test
// part to keep, so both of its splits are printed; --show dev|test lists the risky lines of a split
// that raised no alert and the benign and help lines that did, with the phrases; --phrases FOLDER
// reads the libraries from a folder instead of the starter ones, to try edits without a rebuild
// (docs/PHRASES.md, "The evaluation corpus"); --rules counts, for every rule that alerted, the
// risky lines it caught, those no other rule caught, and the benign and help lines it alerted on,
// so that a rule that costs more than it catches can be found and pruned.
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "tests/safeguarding/recall_evaluation.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

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

struct RuleTally {
  std::size_t risky = 0;
  std::size_t unique = 0;  // risky lines no other rule alerted on
  std::size_t benign = 0;
  std::size_t help = 0;
};

// The rules that alerted on one line, each once, named by file, line and phrase.
std::set<std::string> rulesAlerting(const std::vector<common::Event>& alerts) {
  std::set<std::string> rules;
  for (const auto& alert : alerts) {
    rules.insert(alert.payload->optValue<std::string>("rule", "") + "\t" +
                 alert.payload->getValue<std::string>("phrase"));
  }
  return rules;
}

void showRules(const agent::recording::PhraseMatcher& matcher,
               const std::vector<tests::safeguarding::CorpusEntry>& entries,
               const std::set<Split>& splits) {
  std::map<std::string, RuleTally> tallies;
  for (const auto& entry : entries) {
    if (!splits.contains(tests::safeguarding::splitOf(entry.text))) continue;
    const auto rules = rulesAlerting(tests::safeguarding::alertsFor(matcher, entry));
    for (const auto& rule : rules) {
      auto& tally = tallies[rule];
      tally.risky += entry.label == Label::Risky ? 1 : 0;
      tally.unique += entry.label == Label::Risky && rules.size() == 1 ? 1 : 0;
      tally.benign += entry.label == Label::Benign ? 1 : 0;
      tally.help += entry.label == Label::Help ? 1 : 0;
    }
  }
  std::vector<std::pair<std::string, RuleTally>> rows(tallies.begin(), tallies.end());
  // The costliest first: most benign lines, then fewest unique catches.
  std::ranges::stable_sort(rows, [](const auto& a, const auto& b) {
    return std::tuple(b.second.benign, a.second.unique) <
           std::tuple(a.second.benign, b.second.unique);
  });
  std::cout << "risky\tunique\tbenign\thelp\trule\tphrase\n";
  for (const auto& [rule, tally] : rows) {
    std::cout << tally.risky << "\t" << tally.unique << "\t" << tally.benign << "\t" << tally.help
              << "\t" << rule << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path corpusFolder = CLUBSAFE_SAFEGUARDING_CORPUS_DIR;
  std::filesystem::path baselineFile;
  std::filesystem::path phrasesFolder;
  std::string_view showSplit;
  bool readTestSplit = false;
  bool tallyRules = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--corpus" && i + 1 < argc) {
      corpusFolder = argv[++i];
    } else if (argument == "--write-baseline" && i + 1 < argc) {
      baselineFile = argv[++i];
    } else if (argument == "--rules") {
      tallyRules = true;
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
           "[--show dev|test | --rules] [--test]\n";
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
  if (tallyRules) {
    std::set<Split> splits{Split::Dev};
    if (!testSplitIsHeldBack) splits.insert(Split::Test);
    showRules(matcher, corpus.entries(), splits);
    return EXIT_SUCCESS;
  }
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
