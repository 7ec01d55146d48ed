#include "agent/dns/index_filter.hpp"

#include "agent/dns/index_file_watcher.hpp"
#include "agent/dns/list_filter.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::dns {
namespace {

namespace di = common::domain_index;
using Action = Verdict::Action;

class IndexFilterTest : public ::testing::Test {
 protected:
  // Compiles a small gambling index into `name` in the test's directory.
  std::string writeIndex(const std::string& name, bool withCasino = true) const {
    di::DomainIndexBuilder builder;
    const auto gambling = builder.addCategory("gambling");
    if (withCasino) builder.addBlocked("casino.test", gambling);
    builder.addBlocked("bet.test", gambling);
    (void)builder.write(dir_.file(name));
    return dir_.file(name);
  }

  clubsafe::testing::TempDir dir_;
};

TEST_F(IndexFilterTest, AChainKeepsTheCanariesAndTakesTheFirstVerdictThatIsNotAllow) {
  const ListFilter canaries(canaryRules());
  const ListFilter blocked({{"casino.test", Action::Block, 3, {}}});
  const FilterChain chain({&canaries, &blocked});
  EXPECT_EQ(chain.decide("use-application-dns.net", 1).action, Action::NxDomain);
  EXPECT_EQ(chain.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(chain.decide("example.test", 1).action, Action::Allow);
}

TEST_F(IndexFilterTest, TheWatcherLoadsAChangedFileAndKeepsTheOldIndexWhenTheNewOneIsBad) {
  std::shared_ptr<const di::DomainIndex> installed;
  const auto path = dir_.file("domains.index");
  IndexFileWatcher watcher(path, [&](auto index) { installed = std::move(index); });
  EXPECT_FALSE(watcher.check());  // no file yet
  (void)writeIndex("domains.index");
  EXPECT_TRUE(watcher.check());
  EXPECT_FALSE(watcher.check());  // unchanged
  ASSERT_NE(installed, nullptr);
  EXPECT_TRUE(installed->lookup("casino.test").blocked());

  // A new index is written beside the old one and renamed over it.
  std::filesystem::rename(writeIndex("next.index", false), path);
  EXPECT_TRUE(watcher.check());
  EXPECT_FALSE(installed->lookup("casino.test").blocked());
  EXPECT_TRUE(installed->lookup("bet.test").blocked());

  const auto good = installed;
  std::ofstream(dir_.file("broken.index"), std::ios::binary) << "not an index";
  std::filesystem::rename(dir_.file("broken.index"), path);
  EXPECT_FALSE(watcher.check());
  EXPECT_EQ(installed, good);
}

}  // namespace
}  // namespace clubsafe::agent::dns
