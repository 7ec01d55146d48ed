#include "common/category_catalogue.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

namespace clubsafe::common {
namespace {

TEST(CategoryCatalogueTest, NamesUt1sFrenchIdsInEnglish) {
  ASSERT_NE(findCategory("agressif"), nullptr);
  EXPECT_EQ(findCategory("agressif")->name, "Violence and hate");
  EXPECT_EQ(findCategory("drogue")->name, "Drugs");
  EXPECT_EQ(findCategory("arjel")->name, "Gambling (French licensed)");
  EXPECT_EQ(findCategory("no_such_category"), nullptr);
  EXPECT_EQ(findCategory("Gambling"), nullptr);  // ids are lower case, as in the index
}

// Every category UT1 publishes has a name and a one-line description a manager can read.
TEST(CategoryCatalogueTest, CoversEveryUt1Category) {
  std::ifstream table(CLUBSAFE_BLOCKLISTS_DIR "/ut1/categories.tsv");
  if (!table) GTEST_SKIP() << "the shared UT1 category table is missing";
  std::string line;
  std::getline(table, line);  // header
  int categories = 0;
  while (std::getline(table, line)) {
    const auto id = line.substr(0, line.find('\t'));
    ++categories;
    const auto* entry = findCategory(id);
    ASSERT_NE(entry, nullptr) << id;
    EXPECT_FALSE(entry->name.empty()) << id;
    EXPECT_FALSE(entry->description.empty()) << id;
  }
  EXPECT_GT(categories, 60);
}

TEST(CategoryCatalogueTest, IdsAreUniqueAndTextsFitOnOneLine) {
  std::set<std::string_view> ids;
  for (const auto& entry : categoryCatalogue()) {
    EXPECT_TRUE(ids.insert(entry.id).second) << entry.id;
    EXPECT_LE(entry.name.size(), 40U) << entry.id;
    EXPECT_LE(entry.description.size(), 120U) << entry.id;
    EXPECT_EQ(entry.description.find('\n'), std::string_view::npos) << entry.id;
  }
}

}  // namespace
}  // namespace clubsafe::common
