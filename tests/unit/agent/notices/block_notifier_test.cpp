#include "agent/notices/block_notifier.hpp"

#include "agent/dns/list_filter.hpp"
#include "tests/unit/agent/notices/test_filter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace clubsafe::agent::notices {
namespace {

using namespace std::chrono_literals;
using Action = dns::Verdict::Action;
constexpr std::uint16_t kA = dns::rrtype::kA;
constexpr std::uint16_t kAaaa = dns::rrtype::kAaaa;
constexpr std::uint16_t kMx = 15;

class BlockNotifierTest : public ::testing::Test {
 protected:
  BlockNotifierOptions options() {
    return {.clock = [this] { return now_; }};
  }
  IndexInForce index() {
    return [this] { return test_.filter.index(); };
  }

  testing::TestFilter test_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
};

const BlockedSite kCasino{"0-casino.info", "gambling", "gambling"};

TEST_F(BlockNotifierTest, PassesEveryVerdictThroughUnchanged) {
  const BlockNotifier notifier(test_.filter, index(), options());
  for (const auto* name :
       {"0-casino.info", "example.org", "homework.test", "www.google.com", "unlisted.test"}) {
    const auto wrapped = notifier.decide(name, kA);
    const auto direct = test_.filter.decide(name, kA);
    EXPECT_EQ(wrapped.action, direct.action) << name;
    EXPECT_EQ(wrapped.category, direct.category) << name;
    EXPECT_EQ(wrapped.reason, direct.reason) << name;
    EXPECT_EQ(wrapped.rewriteTarget, direct.rewriteTarget) << name;
  }
  EXPECT_EQ(notifier.decide("www.google.com", kA).action, Action::Rewrite);
}

TEST_F(BlockNotifierTest, TellsEachBlockedSiteOnceWithItsCategoryInPlainWords) {
  BlockNotifier notifier(test_.filter, index(), options());
  EXPECT_TRUE(notifier.drain().empty());
  // A page load: A and AAAA, with and without www, asked twice.
  for (int i = 0; i < 2; ++i) {
    (void)notifier.decide("0-casino.info", kA);
    (void)notifier.decide("0-casino.info", kAaaa);
    (void)notifier.decide("www.0-casino.info", kA);
  }
  (void)notifier.decide("unlisted.test", kA);  // allowed: nothing to tell
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
  EXPECT_TRUE(notifier.drain().empty());
  EXPECT_EQ(notifier.dropped(), 0U);
}

TEST_F(BlockNotifierTest, OnlyAddressQuestionsAreTold) {
  BlockNotifier notifier(test_.filter, index(), options());
  EXPECT_EQ(notifier.decide("0-casino.info", kMx).action, Action::Block);
  EXPECT_TRUE(notifier.drain().empty());
}

TEST_F(BlockNotifierTest, NamesTheProfilesOwnRules) {
  BlockNotifier notifier(test_.filter, index(), {.overall = 0s, .clock = [this] { return now_; }});
  (void)notifier.decide("www.example.org", kAaaa);
  (void)notifier.decide("virus.test", kA);
  EXPECT_EQ(notifier.drain(),
            (std::vector<BlockedSite>{
                {"example.org", "block_list", "the club's list of blocked sites"},
                {"virus.test", "malware", "something that could harm this laptop"}}));
}

TEST_F(BlockNotifierTest, ASiteIsToldAgainOnlyAfterTenMinutes) {
  BlockNotifier notifier(test_.filter, index(), options());
  (void)notifier.decide("0-casino.info", kA);
  EXPECT_EQ(notifier.drain().size(), 1U);
  now_ += 9min;
  (void)notifier.decide("www.0-casino.info", kA);
  EXPECT_TRUE(notifier.drain().empty());
  now_ += 1min;
  (void)notifier.decide("0-casino.info", kA);
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
}

TEST_F(BlockNotifierTest, TheSelfTestsNamesAreNotToldWhileHushedNorCountAgainstTheLimit) {
  BlockNotifier notifier(test_.filter, index(), options());
  notifier.hush({"0-casino.info"}, 30s);
  (void)notifier.decide("0-casino.info", kA);
  EXPECT_TRUE(notifier.drain().empty());
  // A person's visit to the same site right after is told: the hush is for the name only
  // while the self-test runs, and the self-test used up no notification.
  now_ += 31s;
  (void)notifier.decide("0-casino.info", kA);
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
}

TEST_F(BlockNotifierTest, WhatIsDiscardedIsNeitherToldNorCountedAgainstTheLimits) {
  BlockNotifier notifier(test_.filter, index(), options());
  (void)notifier.decide("0-casino.info", kA);
  notifier.discard();
  EXPECT_TRUE(notifier.drain().empty());
  (void)notifier.decide("0-casino.info", kA);
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
}

TEST_F(BlockNotifierTest, AtMostOneNotificationInTwentySecondsAndTheRestAreDropped) {
  BlockNotifier notifier(test_.filter, index(), options());
  (void)notifier.decide("0-casino.info", kA);
  (void)notifier.decide("virus.test", kA);
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
  EXPECT_EQ(notifier.dropped(), 1U);
  now_ += 19s;
  (void)notifier.decide("bet.test", kA);
  EXPECT_TRUE(notifier.drain().empty());
  EXPECT_EQ(notifier.dropped(), 2U);
  now_ += 1s;
  EXPECT_TRUE(notifier.drain().empty());  // dropped, not saved for later
  (void)notifier.decide("bet.test", kA);
  EXPECT_EQ(notifier.drain(), (std::vector<BlockedSite>{{"bet.test", "gambling", "gambling"}}));
}

TEST_F(BlockNotifierTest, ASiteUnblockedBeforeTheDrainIsNotTold) {
  BlockNotifier notifier(test_.filter, index(), options());
  (void)notifier.decide("0-casino.info", kA);
  test_.install(testing::TestFilter::policy({"malware"}), test_.index());
  EXPECT_TRUE(notifier.drain().empty());
}

TEST_F(BlockNotifierTest, TheCategoryIsNamedByTheIndexInForceAtTheDrain) {
  BlockNotifier notifier(test_.filter, index(), options());
  (void)notifier.decide("0-casino.info", kA);
  // Another index where gambling has another id, and a category at gambling's old id.
  test_.install(testing::TestFilter::policy(), test_.index({"malware", "games", "gambling"}));
  EXPECT_EQ(notifier.drain(), std::vector<BlockedSite>{kCasino});
}

TEST_F(BlockNotifierTest, ACategoryNoIndexNamesGetsGeneralWords) {
  const dns::ListFilter filter({{"blocked.test", Action::Block, 7, {}}});
  EXPECT_EQ(whyBlocked(filter, nullptr, "blocked.test")->category, "");
  EXPECT_EQ(whyBlocked(filter, nullptr, "blocked.test")->words,
            "a kind of site the club has blocked");
  EXPECT_FALSE(whyBlocked(filter, nullptr, "other.test"));
  // An id past the end of the index's table.
  EXPECT_EQ(whyBlocked(filter, index(), "blocked.test")->category, "");
}

TEST_F(BlockNotifierTest, AFullRingDropsWhatDoesNotFit) {
  const dns::ListFilter everything({{"test", Action::Block, 0, {}}});
  BlockNotifier all(everything, nullptr, {.overall = 0s, .clock = [this] { return now_; }});
  for (std::size_t i = 0; i < BlockNotifier::kCapacity + 10; ++i) {
    (void)all.decide("site" + std::to_string(i) + ".test", kA);
  }
  const auto told = all.drain();
  ASSERT_EQ(told.size(), BlockNotifier::kCapacity);
  EXPECT_EQ(told.front().domain, "site0.test");
  EXPECT_EQ(all.dropped(), 10U);
  // Room again once drained.
  (void)all.decide("later.test", kA);
  EXPECT_EQ(all.drain().size(), 1U);
}

TEST_F(BlockNotifierTest, TheLongestNameFitsWhole) {
  const dns::ListFilter everything({{"test", Action::Block, 0, {}}});
  BlockNotifier all(everything, nullptr, options());
  std::string name;
  while (name.size() + 64 < 253) name += std::string(63, 'a') + ".";
  name += std::string(253 - name.size() - 5, 'b') + ".test";
  ASSERT_EQ(name.size(), 253U);
  (void)all.decide(name, kA);
  const auto told = all.drain();
  ASSERT_EQ(told.size(), 1U);
  EXPECT_EQ(told[0].domain, name);
}

// Many DNS workers at once against a drain running beside them: every name is told or counted
// as dropped, none twice, none torn.
TEST_F(BlockNotifierTest, WorkersAndTheDrainRunAtOnce) {
  const dns::ListFilter everything({{"test", Action::Block, 0, {}}});
  BlockNotifier all(everything, nullptr,
                    {.perSite = 0s, .overall = 0s, .clock = [this] { return now_; }});
  constexpr int kThreads = 4;
  constexpr int kNames = 5000;
  std::atomic<int> running = kThreads;
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kNames; ++i) {
        (void)all.decide("w" + std::to_string(t) + "-" + std::to_string(i) + ".test", kA);
      }
      --running;
    });
  }
  std::set<std::string> told;
  std::size_t count = 0;
  const auto take = [&] {
    for (const auto& site : all.drain()) {
      ++count;
      told.insert(site.domain);
      EXPECT_TRUE(site.domain.starts_with("w") && site.domain.ends_with(".test")) << site.domain;
    }
  };
  while (running > 0) take();
  for (auto& worker : workers) worker.join();
  take();
  EXPECT_EQ(count, told.size());
  EXPECT_EQ(count + all.dropped(), static_cast<std::size_t>(kThreads * kNames));
}

}  // namespace
}  // namespace clubsafe::agent::notices
