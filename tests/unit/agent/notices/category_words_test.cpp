#include "agent/notices/category_words.hpp"

#include "agent/dns/filter_decision.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

namespace clubsafe::agent::notices {
namespace {

TEST(CategoryWordsTest, SaysEachReasonInPlainWords) {
  EXPECT_EQ(categoryWords("gambling"), "gambling");
  EXPECT_EQ(categoryWords("adult"), "grown-up content");
  EXPECT_EQ(categoryWords("malware"), "something that could harm this laptop");
  EXPECT_EQ(categoryWords("phishing"), "a trick to steal passwords");
  EXPECT_EQ(categoryWords(dns::reasonCategoryName(dns::Verdict::Reason::Closed)),
            "the club's opening hours");
  EXPECT_EQ(categoryWords(dns::reasonCategoryName(dns::Verdict::Reason::BlockList)),
            "the club's list of blocked sites");
}

TEST(CategoryWordsTest, AnUnknownOrEmptyNameGetsGeneralWords) {
  EXPECT_EQ(categoryWords("no_such_category"), kUnknownCategoryWords);
  EXPECT_EQ(categoryWords(""), kUnknownCategoryWords);
  EXPECT_EQ(categoryWords("Gambling"), kUnknownCategoryWords);  // index names are lower case
}

// Every category UT1 publishes has words of its own, but for the few lists with no theme a
// child could be told.
TEST(CategoryWordsTest, CoversEveryUt1Category) {
  const std::set<std::string> noTheme{"liste_blanche", "liste_bu", "exceptions_liste_bu",
                                      "reaffected", "special"};
  std::ifstream table(CLUBSAFE_BLOCKLISTS_DIR "/ut1/categories.tsv");
  ASSERT_TRUE(table) << "the UT1 category table is missing";
  std::string line;
  std::getline(table, line);  // header
  int categories = 0;
  while (std::getline(table, line)) {
    const auto name = line.substr(0, line.find('\t'));
    ++categories;
    if (noTheme.contains(name)) continue;
    EXPECT_NE(categoryWords(name), kUnknownCategoryWords) << name;
  }
  EXPECT_GT(categories, 60);
}

}  // namespace
}  // namespace clubsafe::agent::notices
