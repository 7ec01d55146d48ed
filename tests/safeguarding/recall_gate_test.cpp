// The CI gate of issue 13: the agent's starter libraries, loaded and matched exactly as the agent
// does, on the test split of the safeguarding corpus, must not do worse than the figures recorded
// in tests/data/safeguarding/baseline.txt.
#include "agent/recording/phrase_library.hpp"
#include "tests/safeguarding/recall_evaluation.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace clubsafe::tests::safeguarding {
namespace {

const std::filesystem::path kData = CLUBSAFE_SAFEGUARDING_CORPUS_DIR;

const Corpus& corpus() {
  static const Corpus corpus = [] {
    Corpus read;
    read.addFolder(kData);
    return read;
  }();
  return corpus;
}

const agent::recording::PhraseMatcher& agentMatcher() {
  static const agent::recording::PhraseMatcher matcher = [] {
    agent::recording::PhraseLibrary library;
    library.addStarterLibraries();
    return agent::recording::PhraseMatcher(library);
  }();
  return matcher;
}

TEST(SafeguardingCorpusTest, IsCleanAndAsLargeAsIssue13Asks) {
  for (const auto& problem : corpus().problems()) ADD_FAILURE() << problem.describe();
  std::map<std::pair<std::string, Label>, std::array<std::size_t, 2>> bySplit;
  for (const auto& entry : corpus().entries()) {
    ++bySplit[{entry.category, entry.label}][splitOf(entry.text) == Split::Dev ? 0 : 1];
  }
  std::map<Label, std::size_t> total;
  for (const auto& [key, counts] : bySplit) {
    const auto lines = counts[0] + counts[1];
    total[key.second] += lines;
    // About half of each category and label in either part, so both parts measure the same thing.
    EXPECT_GE(counts[0] * 10, lines * 3) << key.first;
    EXPECT_GE(counts[1] * 10, lines * 3) << key.first;
  }
  for (const auto& category : corpusCategories()) {
    const auto& risky = bySplit[{category, Label::Risky}];
    EXPECT_GE(risky[0] + risky[1], 120U) << category;
  }
  EXPECT_GE(total[Label::Risky], 1000U);
  EXPECT_GE(total[Label::Benign], 1000U);
  EXPECT_GE(total[Label::Help], 150U);
}

TEST(SafeguardingCorpusTest, TheTestSplitIsNoWorseThanTheRecordedFigures) {
  const auto dev = evaluate(agentMatcher(), corpus().entries(), Split::Dev);
  const auto test = evaluate(agentMatcher(), corpus().entries(), Split::Test);
  std::cout << formatTable(dev, "dev split (tune on this)") << "\n"
            << formatTable(test, "test split (report this)");

  std::ifstream in(kData / "baseline.txt", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  ASSERT_TRUE(in) << "cannot read " << (kData / "baseline.txt");
  std::string error;
  const auto baseline = parseBaseline(text.str(), error);
  ASSERT_TRUE(baseline) << "baseline.txt: " << error;
  for (const auto& regression : regressions(test, *baseline)) ADD_FAILURE() << regression;
}

}  // namespace
}  // namespace clubsafe::tests::safeguarding
