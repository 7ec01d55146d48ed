// The filter self-test's test names the collector publishes: chosen from the stored lists,
// checked against the index file written (real SQLite, real lists, real index files).
#include "collector/filtering/filtering_service.hpp"

#include "collector/filtering/index_compiler.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/time.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace clubsafe::collector {
namespace {

namespace di = common::domain_index;
using Names = std::map<std::string, std::string>;

const ChangeAuthor kAlice{"alice", "the trustees asked for it"};

// Gambling's best name is bet.example (fewest labels, then shortest); malware's would be
// zz.example, but another list's allow entry covers it; a one-label name is never chosen.
std::vector<ListImport> clubLists() {
  return {{.category = "gambling",
           .source = "club-extra",
           .format = "plain",
           .text = "www.casino.example\ncasino.example\na.bet.example\nbet.example\n"},
          {.category = "malware",
           .source = "adblock",
           .format = "adblock",
           .text = "||zz.example^\n||evil.example^\n||sub.evil.example^\n"},
          {.category = "ads",
           .source = "easylist",
           .format = "adblock",
           .text = "||tracker.example^\n@@||zz.example^\n"},
          {.category = "shops", .source = "tiny", .format = "plain", .text = "tv\nshop.example\n"}};
}

class TestNamesTest : public ::testing::Test {
 protected:
  void SetUp() override { service_.prepare(); }

  common::Policy policy() {
    return common::parsePolicy(store_.stores.filtering.currentPolicy().body);
  }

  testing::TestStorage store_;
  std::filesystem::path folder_ = store_.directory.path() / "state" / "index";
  FilteringService service_{store_.stores.filtering, folder_};
};

TEST(TestNameOrder, FewerLabelsThenShorterThenAlphabetical) {
  EXPECT_TRUE(testNameBefore("casino.example", "a.bet.example"));
  EXPECT_TRUE(testNameBefore("bet.example", "casino.example"));
  EXPECT_TRUE(testNameBefore("abc.example", "bet.example"));
  EXPECT_FALSE(testNameBefore("bet.example", "bet.example"));
}

TEST_F(TestNamesTest, EachCategoryGetsTheBestNameItsIndexBlocks) {
  (void)service_.importLists(clubLists(), kAlice);
  const auto published = policy();
  ASSERT_TRUE(published.index.has_value());
  EXPECT_EQ(published.index->testNames, (Names{{"ads", "tracker.example"},
                                               {"gambling", "bet.example"},
                                               {"malware", "evil.example"},
                                               {"shops", "shop.example"}}));
  const auto index =
      di::DomainIndex::open(indexFilePath(folder_, published.index->sha256).string());
  for (const auto& [category, name] : published.index->testNames) {
    EXPECT_TRUE(index->lookup(name).categories.test(*index->findCategory(category))) << name;
  }
}

TEST_F(TestNamesTest, TheSameListsGiveTheSameNamesInAnyOrder) {
  (void)service_.importLists(clubLists(), kAlice);
  const auto first = policy().index->testNames;

  testing::TestStorage otherStore;
  FilteringService other(otherStore.stores.filtering, otherStore.directory.path() / "index");
  other.prepare();
  auto reversed = clubLists();
  std::reverse(reversed.begin(), reversed.end());
  for (auto& list : reversed) {
    // Lines in another order too.
    std::vector<std::string> lines;
    std::istringstream in(list.text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    list.text.clear();
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) list.text += *line + "\n";
  }
  (void)other.importLists(reversed, kAlice);
  EXPECT_EQ(common::parsePolicy(otherStore.stores.filtering.currentPolicy().body).index->testNames,
            first);
}

TEST_F(TestNamesTest, ChangesFollowTheListsAndProfileChangesKeepThem) {
  (void)service_.importLists(clubLists(), kAlice);
  const auto lists = store_.stores.filtering.listFilterLists();
  const auto gambling = std::find_if(lists.begin(), lists.end(),
                                     [](const auto& list) { return list.category == "gambling"; });
  service_.deleteList(gambling->id, kAlice);
  const auto afterDelete = policy().index->testNames;
  EXPECT_FALSE(afterDelete.contains("gambling"));
  EXPECT_EQ(afterDelete.at("malware"), "evil.example");

  auto juniors = *policy().findProfile("juniors");
  juniors.safeSearch = common::SafeSearchLevel::Moderate;
  service_.updateProfile(juniors, kAlice);
  EXPECT_EQ(policy().index->testNames, afterDelete);
}

TEST_F(TestNamesTest, APolicyPublishedWithoutTestNamesGetsThemOnStart) {
  (void)service_.importLists(clubLists(), kAlice);
  const auto withNames = policy();
  // As a collector older than test names published it.
  auto old = withNames;
  old.version += 1;
  old.index->testNames.clear();
  const auto body = common::serialisePolicy(old);
  store_.stores.filtering.publishPolicy(
      {.document = {.version = old.version,
                    .body = body,
                    .etag = {},
                    .indexSha256 = old.index->sha256,
                    .indexBytes = static_cast<std::int64_t>(old.index->bytes)},
       .audit = {.time = common::nowUtc(),
                 .actor = "system",
                 .action = "policy.publish",
                 .target = "",
                 .detail = "",
                 .reason = "an older collector"}});
  ASSERT_TRUE(policy().index->testNames.empty());

  FilteringService restarted(store_.stores.filtering, folder_);
  restarted.prepare();
  const auto now = policy();
  EXPECT_EQ(now.version, old.version + 1);
  EXPECT_EQ(now.index->testNames, withNames.index->testNames);
  restarted.prepare();
  EXPECT_EQ(policy().version, now.version) << "nothing changed, nothing published";
}

}  // namespace
}  // namespace clubsafe::collector
