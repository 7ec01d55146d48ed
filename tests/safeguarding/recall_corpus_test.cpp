#include "tests/safeguarding/recall_corpus.hpp"
#include "tests/safeguarding/recall_evaluation.hpp"

#include <gtest/gtest.h>

namespace clubsafe::tests::safeguarding {
namespace {

TEST(RecallCorpusTest, ReadsTheFourColumns) {
  Corpus corpus;
  corpus.addText(
      "# a comment\n\nrisky\tself-harm\tsearch\ti wanna kms\n"
      "benign\tdrugs\ttitle\tDrug store near me - Google Maps\n",
      "a.tsv");
  ASSERT_TRUE(corpus.problems().empty()) << corpus.problems().front().describe();
  ASSERT_EQ(corpus.entries().size(), 2U);
  EXPECT_EQ(corpus.entries()[0].label, Label::Risky);
  EXPECT_EQ(corpus.entries()[0].category, "self-harm");
  EXPECT_FALSE(corpus.entries()[0].title);
  EXPECT_EQ(corpus.entries()[0].text, "i wanna kms");
  EXPECT_EQ(corpus.entries()[1].label, Label::Benign);
  EXPECT_TRUE(corpus.entries()[1].title);
}

TEST(RecallCorpusTest, EveryBadLineIsReportedAndSkipped) {
  Corpus corpus;
  corpus.addText(
      "risky\tself-harm\tsearch\n"
      "maybe\tself-harm\tsearch\tx\n"
      "risky\tgaming\tsearch\tx\n"
      "risky\tdrugs\turl\tx\n"
      "risky\tdrugs\tsearch\t\n"
      "risky\tdrugs\tsearch\ta\tb\n"
      "help\tdrugs\tsearch\tTalk to FRANK\n"
      "help\tdrugs\tsearch\ttalk to frank\n",
      "bad.tsv");
  ASSERT_EQ(corpus.entries().size(), 1U);
  std::vector<std::string> reasons;
  for (const auto& problem : corpus.problems()) reasons.push_back(problem.describe());
  EXPECT_EQ(reasons, (std::vector<std::string>{
                         "bad.tsv line 1: expected label, category, kind and text, tab-separated",
                         "bad.tsv line 2: the label must be risky, benign or help",
                         "bad.tsv line 3: unknown category \"gaming\"",
                         "bad.tsv line 4: the kind must be search or title",
                         "bad.tsv line 5: the text must be one non-empty column",
                         "bad.tsv line 6: the text must be one non-empty column",
                         "bad.tsv line 8: the same text as bad.tsv line 7"}));
}

TEST(RecallCorpusTest, AMissingFolderIsAProblem) {
  Corpus corpus;
  corpus.addFolder("/nonexistent/safeguarding");
  ASSERT_EQ(corpus.problems().size(), 1U);
  EXPECT_EQ(corpus.problems()[0].line, 0U);
}

TEST(RecallCorpusTest, TheSplitDependsOnTheTextAlone) {
  // FNV-1a 64: "" is 0xcbf29ce484222325 (odd), "a" is 0xaf63dc4c8601ec8c (even).
  EXPECT_EQ(splitOf(""), Split::Test);
  EXPECT_EQ(splitOf("a"), Split::Dev);
}

TEST(RecallBaselineTest, ReadsRecallAndRate) {
  std::string error;
  const auto baseline = parseBaseline(
      "# comment\nrecall overall 42.5\nrecall hate 30\nfalse-alerts-per-1000 2.0 # max\n", error);
  ASSERT_TRUE(baseline) << error;
  EXPECT_DOUBLE_EQ(baseline->recallPercent.at("overall"), 42.5);
  EXPECT_DOUBLE_EQ(baseline->recallPercent.at("hate"), 30.0);
  EXPECT_DOUBLE_EQ(baseline->falseAlertsPerThousand, 2.0);
}

TEST(RecallBaselineTest, RefusesBadLines) {
  for (const std::string_view text :
       {"recall overall 42\n", "false-alerts-per-1000 1\n",
        "recall overall 42\nrecall gaming 5\nfalse-alerts-per-1000 1\n",
        "recall overall forty\nfalse-alerts-per-1000 1\n",
        "recall overall 42 43\nfalse-alerts-per-1000 1\n",
        "recall overall -1\nfalse-alerts-per-1000 1\n"}) {
    std::string error;
    EXPECT_FALSE(parseBaseline(text, error)) << text;
    EXPECT_FALSE(error.empty());
  }
}

TEST(RecallBaselineTest, NamesEveryFigureThatGotWorse) {
  Figures figures;
  figures.overall = {.risky = 10, .caught = 5, .benign = 1000, .falseAlerts = 3};
  figures.categories["hate"] = {.risky = 4, .caught = 3};
  figures.categories["drugs"] = {.risky = 6, .caught = 2};
  const Baseline baseline{{{"overall", 50.0}, {"hate", 80.0}, {"drugs", 30.0}}, 2.0};
  EXPECT_EQ(regressions(figures, baseline),
            (std::vector<std::string>{
                "recall hate is 75.0%, below the recorded 80.0%",
                "3.0 false alerts per 1,000 benign lines, above the recorded 2.0"}));
}

TEST(RecallBaselineTest, AWrittenBaselinePassesTheFiguresItWasWrittenFrom) {
  Figures figures;
  figures.overall = {.risky = 3, .caught = 2, .benign = 7, .falseAlerts = 1};
  for (const auto& category : corpusCategories())
    figures.categories[category] = {.risky = 3, .caught = 1};
  std::string error;
  const auto baseline = parseBaseline(formatBaseline(figures), error);
  ASSERT_TRUE(baseline) << error;
  EXPECT_DOUBLE_EQ(baseline->recallPercent.at("overall"), 66.6);
  EXPECT_DOUBLE_EQ(baseline->recallPercent.at("hate"), 33.3);
  EXPECT_DOUBLE_EQ(baseline->falseAlertsPerThousand, 142.9);
  EXPECT_TRUE(regressions(figures, *baseline).empty());
}

}  // namespace
}  // namespace clubsafe::tests::safeguarding
