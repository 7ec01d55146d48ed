#include "agent/dns/index_filter.hpp"

#include "agent/dns/index_file_watcher.hpp"
#include "agent/dns/list_filter.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

namespace clubsafe::agent::dns {
namespace {

namespace di = common::domain_index;
using Action = Verdict::Action;

class IndexFilterTest : public ::testing::Test {
 protected:
  // Compiles a small index into `name` in the test's directory: gambling, malware and
  // terrorism (always blocked) entries, and allow entries.
  std::string writeIndex(const std::string& name, bool withCasino = true) const {
    di::DomainIndexBuilder builder;
    const auto gambling = builder.addCategory("gambling");
    const auto malware = builder.addCategory("malware");
    const auto terrorism = builder.addCategory("terrorism");
    if (withCasino) builder.addBlocked("casino.test", gambling);
    builder.addBlocked("bet.test", gambling);
    builder.addAllowed("news.bet.test");
    builder.addBlocked("virus.test", malware);
    builder.addBlocked("bad.test", terrorism);
    builder.addAllowed("bad.test");
    builder.addBlocked("worse.test", terrorism);
    builder.addAllowed("www.worse.test");
    (void)builder.write(dir_.file(name));
    return dir_.file(name);
  }

  clubsafe::testing::TempDir dir_;
};

TEST_F(IndexFilterTest, BlocksTheChosenCategoriesAndAllowsTheRest) {
  IndexFilter filter({"gambling"});
  const auto index = di::DomainIndex::open(writeIndex("domains.index"));
  EXPECT_TRUE(filter.install(index).empty());
  const auto gambling = *index->findCategory("gambling");
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("casino.test", 1).category, gambling);
  EXPECT_EQ(filter.decide("www.casino.test", 28).action, Action::Block);
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Allow);  // malware is not chosen
  EXPECT_EQ(filter.decide("example.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("notcasino.test", 1).action, Action::Allow);
}

TEST_F(IndexFilterTest, AnAllowEntryBeatsABlockedCategory) {
  IndexFilter filter({"gambling"});
  (void)filter.install(di::DomainIndex::open(writeIndex("domains.index")));
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("news.bet.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("img.news.bet.test", 1).action, Action::Allow);
}

TEST_F(IndexFilterTest, IllegalContentIsBlockedWithoutBeingChosenAndDespiteAllowEntries) {
  IndexFilter filter({});
  const auto index = di::DomainIndex::open(writeIndex("domains.index"));
  (void)filter.install(index);
  const auto terrorism = *index->findCategory("terrorism");
  for (const char* name : {"bad.test", "www.bad.test", "worse.test", "www.worse.test"}) {
    EXPECT_EQ(filter.decide(name, 1).action, Action::Block) << name;
    EXPECT_EQ(filter.decide(name, 1).category, terrorism) << name;
  }
}

TEST_F(IndexFilterTest, UnknownCategoryNamesAreReportedAndNothingIsBlockedForThem) {
  IndexFilter filter({"gambling", "gamblnig"});
  EXPECT_EQ(filter.install(di::DomainIndex::open(writeIndex("domains.index"))),
            std::vector<std::string>{"gamblnig"});
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);
}

TEST_F(IndexFilterTest, WithoutAnIndexEverythingIsAllowed) {
  const IndexFilter filter({"gambling"});
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.index(), nullptr);
}

TEST_F(IndexFilterTest, CategoryIdsAreResolvedAgainstEachNewIndex) {
  IndexFilter filter({"malware"});
  (void)filter.install(di::DomainIndex::open(writeIndex("first.index")));
  di::DomainIndexBuilder builder;
  const auto malware = builder.addCategory("malware");  // id 0 here, 1 in the first index
  builder.addBlocked("casino.test", malware);
  (void)builder.write(dir_.file("second.index"));
  (void)filter.install(di::DomainIndex::open(dir_.file("second.index")));
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("casino.test", 1).category, malware);
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Allow);
}

TEST_F(IndexFilterTest, AChainKeepsTheCanariesAndTakesTheFirstVerdictThatIsNotAllow) {
  IndexFilter index({"gambling"});
  (void)index.install(di::DomainIndex::open(writeIndex("domains.index")));
  const ListFilter canaries(canaryRules());
  const FilterChain chain({&canaries, &index});
  EXPECT_EQ(chain.decide("use-application-dns.net", 1).action, Action::NxDomain);
  EXPECT_EQ(chain.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(chain.decide("example.test", 1).action, Action::Allow);
}

TEST_F(IndexFilterTest, TheWatcherLoadsAChangedFileAndKeepsTheOldIndexWhenTheNewOneIsBad) {
  IndexFilter filter({"gambling"});
  const auto path = dir_.file("domains.index");
  IndexFileWatcher watcher(path, filter);
  EXPECT_FALSE(watcher.check());  // no file yet
  (void)writeIndex("domains.index");
  EXPECT_TRUE(watcher.check());
  EXPECT_FALSE(watcher.check());  // unchanged
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);

  // A new index is written beside the old one and renamed over it.
  std::filesystem::rename(writeIndex("next.index", false), path);
  EXPECT_TRUE(watcher.check());
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);

  const auto good = filter.index();
  std::ofstream(dir_.file("broken.index"), std::ios::binary) << "not an index";
  std::filesystem::rename(dir_.file("broken.index"), path);
  EXPECT_FALSE(watcher.check());
  EXPECT_EQ(filter.index(), good);
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
}

TEST_F(IndexFilterTest, QueriesKeepRunningWhileIndexesAreSwapped) {
  IndexFilter filter({"gambling"});
  const auto with = di::DomainIndex::open(writeIndex("with.index"));
  const auto without = di::DomainIndex::open(writeIndex("without.index", false));
  (void)filter.install(with);
  std::atomic<bool> stop = false;
  std::atomic<int> wrong = 0;
  std::thread reader([&] {
    while (!stop) {
      if (filter.decide("bet.test", 1).action != Action::Block) ++wrong;
    }
  });
  for (int i = 0; i < 2000; ++i) (void)filter.install(i % 2 == 0 ? without : with);
  stop = true;
  reader.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace clubsafe::agent::dns
