#include "agent/recording/phrase_library.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace clubsafe::agent::recording {
namespace {

TEST(PhraseLibraryTest, ReadsCategoriesPhrasesAndExclusions) {
  PhraseLibrary library;
  library.addText(
      "# a comment\n"
      "category: self-harm\n"
      "\n"
      "5 kill* myself   # trailing comment\n"
      "3\tI hate myself\n"
      "except kill myself laughing\n"
      "category: weapons-violence\n"
      "4 zombie knife\n",
      "test.txt");
  EXPECT_TRUE(library.problems().empty()) << library.problems().front().describe();
  ASSERT_EQ(library.rules().size(), 4U);
  EXPECT_EQ(library.phraseCount(), 3U);
  const auto& first = library.rules()[0];
  EXPECT_EQ(first.category, "self-harm");
  EXPECT_EQ(first.severity, 5);
  EXPECT_EQ(first.phrase, "kill* myself");
  EXPECT_EQ(first.source, "test.txt");
  EXPECT_EQ(first.line, 4U);
  EXPECT_FALSE(first.exclusion);
  EXPECT_EQ(first.pattern.pieces, (std::vector<std::string>{" kill", " myself "}));
  EXPECT_EQ(first.pattern.anchor, 1U);
  EXPECT_EQ(library.rules()[1].phrase, "I hate myself");
  EXPECT_TRUE(library.rules()[2].exclusion);
  EXPECT_EQ(library.rules()[2].severity, 0);
  EXPECT_EQ(library.rules()[3].category, "weapons-violence");
}

TEST(PhraseLibraryTest, EachBadLineIsReportedWithItsNumberAndSkipped) {
  PhraseLibrary library;
  library.addText(
      "5 before any category\n"       // 1
      "category: Bad Name\n"          // 2
      "4 under a bad category\n"      // 3
      "category: drugs\n"             // 4
      "6 too severe\n"                // 5
      "0 not severe\n"                // 6
      "12 two digits\n"               // 7
      "five words\n"                  // 8
      "5\n"                           // 9
      "5 ab\n"                        // 10: too short
      "5 *\n"                         // 11
      "5 a*b*c*d*efg\n"               // 12: four wildcards
      "5 caf\xC3\xA9 \xE6\x97\xA5\n"  // 13: not English letters
      "except\n"                      // 14
      "3 buy weed\n"                  // 15: good
      "3 BUY   weed!\n"               // 16: the same in matching form
      "except buy weed killer\n",     // 17: good
      "bad.txt");
  std::set<std::uint64_t> lines;
  for (const auto& problem : library.problems()) {
    EXPECT_EQ(problem.source, "bad.txt");
    EXPECT_FALSE(problem.reason.empty());
    lines.insert(problem.line);
  }
  EXPECT_EQ(lines, (std::set<std::uint64_t>{1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16}));
  ASSERT_EQ(library.rules().size(), 2U);
  EXPECT_EQ(library.rules()[0].line, 15U);
  EXPECT_EQ(library.rules()[1].line, 17U);
  EXPECT_EQ(library.problems()[0].describe().substr(0, 14), "bad.txt line 1");
  EXPECT_NE(library.problems().back().reason.find("line 15"), std::string::npos);
}

TEST(PhraseLibraryTest, TooLongLinesAreReportedNotFatal) {
  PhraseLibrary library;
  std::string text = "category: drugs\n5 " + std::string(10000, 'a') + "\n3 buy weed\n";
  library.addText(text, "long.txt");
  ASSERT_EQ(library.problems().size(), 1U);
  EXPECT_EQ(library.problems()[0].line, 2U);
  EXPECT_EQ(library.rules().size(), 1U);
}

TEST(PhraseLibraryTest, TheNumberOfRulesIsBounded) {
  std::string text = "category: many\n";
  for (std::size_t i = 0; i < PhraseLibrary::kMaxRules + 2; ++i) {
    text += "3 phrase " + std::to_string(i) + "\n";
  }
  PhraseLibrary library;
  library.addText(text, "many.txt");
  EXPECT_EQ(library.rules().size(), PhraseLibrary::kMaxRules);
  ASSERT_EQ(library.problems().size(), 2U);
  EXPECT_EQ(library.problems()[0].line, PhraseLibrary::kMaxRules + 2);
}

TEST(PhraseLibraryTest, ALongPhraseIsRefused) {
  PhraseLibrary library;
  std::string phrase;
  for (int i = 0; i < 40; ++i) phrase += "word ";
  library.addText("category: drugs\n5 " + phrase + "\n", "long.txt");
  ASSERT_EQ(library.problems().size(), 1U);
  EXPECT_TRUE(library.rules().empty());
}

TEST(PhraseLibraryTest, FilesAndFoldersAreReadAndMissingOnesReported) {
  const testing::TempDir dir;
  std::ofstream(dir.file("b.txt")) << "category: bullying\n3 im being bullied\n";
  std::ofstream(dir.file("a.txt")) << "category: drugs\n3 buy weed\nnonsense\n";
  std::ofstream(dir.file("notes.md")) << "category: drugs\n3 not read\n";
  PhraseLibrary library;
  library.addFolder(dir.path());
  ASSERT_EQ(library.rules().size(), 2U);
  EXPECT_EQ(library.rules()[0].source, "a.txt");  // in name order
  EXPECT_EQ(library.rules()[1].source, "b.txt");
  ASSERT_EQ(library.problems().size(), 1U);
  EXPECT_EQ(library.problems()[0].describe().substr(0, 12), "a.txt line 3");

  library.addFile(dir.path() / "missing.txt");
  library.addFolder(dir.path() / "no-such-folder");
  EXPECT_EQ(library.problems().size(), 3U);
  EXPECT_EQ(library.problems()[1].line, 0U);
  EXPECT_EQ(library.rules().size(), 2U);
}

TEST(PhraseLibraryTest, TheStarterLibrariesLoadCleanly) {
  PhraseLibrary library;
  library.addStarterLibraries();
  for (const auto& problem : library.problems()) ADD_FAILURE() << problem.describe();
  std::set<std::string> categories;
  for (const auto& rule : library.rules()) {
    if (rule.set != PhraseRule::kNoSet) continue;  // members of word sets have no category
    categories.insert(rule.category);
    EXPECT_TRUE(rule.exclusion || (rule.severity >= 1 && rule.severity <= 5)) << rule.phrase;
  }
  EXPECT_EQ(categories,
            (std::set<std::string>{"bullying", "drugs", "extremism", "hate", "self-harm",
                                   "sexual-exploitation", "weapons-violence"}));
  EXPECT_GT(library.phraseCount(), 300U);
  EXPECT_EQ(starterLibraryNames().size(), 10U);  // the lexicon, 7 categories, Welsh, Polish
  EXPECT_EQ(starterLibraryNames().front(), kLexiconFile);
  EXPECT_GE(library.proximityRules().size(), 5U);
}

TEST(PhraseLibraryTest, TheStarterLibrariesLeaveRoomForAClubsOwnPhrases) {
  // A club adds its own libraries on top (docs/PHRASES.md): a starter library that grows into
  // the limit would have the club's lines skipped.
  PhraseLibrary library;
  library.addStarterLibraries();
  EXPECT_LE(library.rules().size() + 10000, PhraseLibrary::kMaxRules);
}

TEST(PhraseLibraryTest, BadWordFormSetAndProximityLinesAreReportedEachOnItsLine) {
  PhraseLibrary library;
  library.addText(
      "typos: cat\n"                        // 1: too short for typos
      "spelling : x\n"                      // 2: no words to read it as
      "forms: two words\n"                  // 3: not one word
      "words Bad Name: x\n"                 // 4: a bad set name
      "words harm: hurt\n"                  // 5: good
      "category: self-harm\n"               // 6
      "5 near 99: harm, harm\n"             // 7: window out of range
      "5 near 3: harm, nowhere\n"           // 8: an unknown set
      "5 near 3: harm\n"                    // 9: one set
      "5 near 3: harm, harm unless gone\n"  // 10: an unknown set after unless
      "4 near 3: harm, harm\n",             // 11: good
      "bad.txt");
  std::vector<std::uint64_t> lines;
  for (const auto& problem : library.problems()) lines.push_back(problem.line);
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 2, 3, 4, 7, 8, 9, 10}));
  EXPECT_NE(library.problems()[0].reason.find("too short"), std::string::npos);
  EXPECT_NE(library.problems()[5].reason.find("nowhere"), std::string::npos);
  EXPECT_EQ(library.proximityRules().size(), 1U);
  EXPECT_EQ(library.sets(), (std::vector<std::string>{"harm"}));
}

TEST(PhraseLibraryTest, CompilePhraseExplainsRefusals) {
  std::string error;
  EXPECT_TRUE(compilePhrase("how many * to overdose", error).has_value());
  const auto pattern = compilePhrase("kill** myself", error);
  ASSERT_TRUE(pattern.has_value());
  EXPECT_EQ(pattern->pieces.size(), 2U);  // "**" is one wildcard
  EXPECT_FALSE(compilePhrase("**", error).has_value());
  EXPECT_NE(error.find("letters or digits"), std::string::npos);
}

}  // namespace
}  // namespace clubsafe::agent::recording
