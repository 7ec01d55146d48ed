#include "agent/dns/profile_filter.hpp"

#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <thread>

namespace clubsafe::agent::dns {
namespace {

namespace di = common::domain_index;
using Action = Verdict::Action;
using Reason = Verdict::Reason;

// The OS seam: a clock tests set. The real one is tested below.
class FixedClock final : public LocalClock {
 public:
  [[nodiscard]] LocalTime now() const noexcept override { return {weekday.load(), minute.load()}; }
  [[nodiscard]] std::int64_t unixSeconds() const noexcept override { return seconds.load(); }
  void set(int day, int hour, int minutes) {
    weekday = day;
    minute = hour * 60 + minutes;
  }
  std::atomic<int> weekday = 0;
  std::atomic<int> minute = 12 * 60;
  std::atomic<std::int64_t> seconds = 1'800'000'000;
};

constexpr int kMonday = 0;
constexpr int kFriday = 4;
constexpr int kSaturday = 5;
constexpr int kSunday = 6;

common::OpeningHours hours(std::initializer_list<int> days, int from, int to) {
  common::OpeningHours entry;
  for (const auto day : days) entry.days.set(static_cast<std::size_t>(day));
  entry.fromMinute = from;
  entry.toMinute = to;
  return entry;
}

class ProfileFilterTest : public ::testing::Test {
 protected:
  // A small index: gambling, malware and terrorism (always blocked) entries and allow entries.
  std::shared_ptr<const di::DomainIndex> index(bool withCasino = true) {
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
    const auto path = dir_.file("domains" + std::to_string(++files_) + ".index");
    (void)builder.write(path);
    return di::DomainIndex::open(path);
  }

  static common::Profile juniors() {
    common::Profile profile;
    profile.id = "juniors";
    profile.name = "Juniors";
    profile.ageBands = {"8-12"};
    profile.blockedCategories = {"gambling"};
    profile.allow = {"casino.test", "homework.example"};
    profile.block = {"example.org", "bad.test"};
    profile.safeSearch = SafeSearchLevel::Strict;
    profile.schedule = {hours({kMonday, kFriday}, 16 * 60, 21 * 60),
                        hours({kSaturday}, 10 * 60, 16 * 60)};
    return profile;
  }

  static common::Profile staff() {
    common::Profile profile;
    profile.id = "staff";
    profile.name = "Staff";
    profile.ageBands = {"staff"};
    profile.safeSearch = SafeSearchLevel::Off;
    return profile;
  }

  static common::Policy policy() {
    common::Policy policy;
    policy.version = 3;
    policy.defaultProfile = "juniors";
    policy.profiles = {juniors(), staff()};
    return policy;
  }

  clubsafe::testing::TempDir dir_;
  int files_ = 0;
  FixedClock clock_;
};

TEST_F(ProfileFilterTest, BlocksTheProfilesCategoriesAndAllowsTheRest) {
  ProfileFilter filter(clock_, "");
  const auto builtIn =
      CompiledPolicy::compile(builtInPolicy({"gambling"}, SafeSearchLevel::Off), index());
  filter.install(builtIn, kBuiltInProfileId);
  const auto gambling = *builtIn->index()->findCategory("gambling");
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("casino.test", 1).category, gambling);
  EXPECT_EQ(filter.decide("casino.test", 1).reason, Reason::Category);
  EXPECT_EQ(filter.decide("www.casino.test", 28).action, Action::Block);
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Allow);  // malware is not chosen
  EXPECT_EQ(filter.decide("example.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("notcasino.test", 1).action, Action::Allow);
  // The index's allow entries beat its block entries.
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("img.news.bet.test", 1).action, Action::Allow);
}

TEST_F(ProfileFilterTest, IllegalContentIsBlockedWithoutBeingChosenAndDespiteEveryAllow) {
  auto everythingAllowed = policy();
  everythingAllowed.profiles[0].allow = {"bad.test", "worse.test"};
  everythingAllowed.profiles[0].schedule.clear();
  const auto compiled = CompiledPolicy::compile(everythingAllowed, index());
  const auto terrorism = *compiled->index()->findCategory("terrorism");
  ProfileFilter filter(clock_, "bad.test");  // not even as the collector's host
  for (const auto* profile : {"juniors", "staff"}) {
    filter.install(compiled, profile);
    for (const char* name : {"bad.test", "www.bad.test", "worse.test", "www.worse.test"}) {
      EXPECT_EQ(filter.decide(name, 1).action, Action::Block) << profile << " " << name;
      EXPECT_EQ(filter.decide(name, 1).category, terrorism) << name;
      EXPECT_EQ(filter.decide(name, 1).reason, Reason::Category) << name;
    }
  }
}

TEST_F(ProfileFilterTest, PrecedenceCollectorScheduleBlockListAllowListCategoriesSafeSearch) {
  ProfileFilter filter(clock_, "collector.club.test");
  filter.install(CompiledPolicy::compile(policy(), index()), "juniors");
  clock_.set(kMonday, 17, 0);  // open
  // The block list beats the allow list, on the name and its subdomains.
  EXPECT_EQ(filter.decide("example.org", 1).reason, Reason::BlockList);
  EXPECT_EQ(filter.decide("www.example.org", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("www.example.org", 1).reason, Reason::BlockList);
  EXPECT_EQ(filter.decide("example.org.evil.test", 1).action, Action::Allow);
  // The allow list beats a blocked category.
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  // Safe search still applies to allowed names.
  EXPECT_EQ(filter.decide("www.google.co.uk", 1).action, Action::Rewrite);
  EXPECT_EQ(filter.decide("www.google.co.uk", 1).rewriteTarget, "forcesafesearch.google.com");

  clock_.set(kSunday, 12, 0);  // closed
  EXPECT_EQ(filter.decide("example.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("example.test", 1).reason, Reason::Closed);
  EXPECT_EQ(filter.decide("www.google.co.uk", 1).reason, Reason::Closed);
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("www.homework.example", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("collector.club.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("www.collector.club.test", 1).reason, Reason::Closed);
  // The host as the server address writes it.
  ProfileFilter written(clock_, "Collector.Club.TEST.");
  written.install(CompiledPolicy::compile(policy(), index()), "juniors");
  EXPECT_EQ(written.decide("collector.club.test", 1).action, Action::Allow);
  ProfileFilter address(clock_, "192.0.2.1");
  address.install(CompiledPolicy::compile(policy(), index()), "juniors");
  EXPECT_EQ(address.decide("192.0.2.1", 1).reason, Reason::Closed);
  EXPECT_EQ(reasonCategoryName(Reason::Closed), "closed");
  EXPECT_EQ(reasonCategoryName(Reason::BlockList), "block_list");
}

TEST_F(ProfileFilterTest, OnlyTheCollectorsHostAndTheAllowListMayBeAnsweredWithLocalAddresses) {
  ProfileFilter filter(clock_, "collector.club.test");
  EXPECT_TRUE(filter.decide("collector.club.test", 1).localAnswersAllowed);  // before a policy
  EXPECT_FALSE(filter.decide("example.test", 1).localAnswersAllowed);
  filter.install(CompiledPolicy::compile(policy(), index()), "juniors");
  clock_.set(kMonday, 17, 0);  // open
  EXPECT_TRUE(filter.decide("collector.club.test", 1).localAnswersAllowed);
  EXPECT_TRUE(filter.decide("www.homework.example", 1).localAnswersAllowed);
  EXPECT_TRUE(filter.decide("casino.test", 1).localAnswersAllowed);
  EXPECT_FALSE(filter.decide("example.test", 1).localAnswersAllowed);
  EXPECT_FALSE(filter.decide("www.collector.club.test", 1).localAnswersAllowed);
  EXPECT_FALSE(filter.decide("www.google.co.uk", 1).localAnswersAllowed);  // rewritten
}

TEST_F(ProfileFilterTest, OpeningHoursIncludeFromAndExcludeTo) {
  const auto schedule = juniors().schedule;
  const auto at = [&](int day, int hour, int minute) {
    return isOpen(schedule, {day, hour * 60 + minute});
  };
  EXPECT_FALSE(at(kMonday, 15, 59));
  EXPECT_TRUE(at(kMonday, 16, 0));
  EXPECT_TRUE(at(kMonday, 20, 59));
  EXPECT_FALSE(at(kMonday, 21, 0));
  EXPECT_FALSE(at(1, 17, 0));  // Tuesday is not in this schedule
  EXPECT_TRUE(at(kFriday, 16, 0));
  EXPECT_TRUE(at(kSaturday, 10, 0));
  EXPECT_FALSE(at(kSaturday, 16, 0));
  EXPECT_FALSE(at(kSunday, 0, 0));
  EXPECT_TRUE(isOpen({}, {kSunday, 3 * 60}));
  // A span over midnight is two entries.
  const std::vector late{hours({kFriday}, 20 * 60, 23 * 60 + 59), hours({kSaturday}, 0, 60)};
  EXPECT_TRUE(isOpen(late, {kFriday, 23 * 60 + 58}));
  EXPECT_TRUE(isOpen(late, {kSaturday, 0}));
  EXPECT_FALSE(isOpen(late, {kSaturday, 60}));
}

TEST(DomainLists, MatchNamesAndTheirSubdomainsOnEitherList) {
  std::vector<std::string> allow{"bbc.co.uk", "both.test"};
  std::vector<std::string> block{"example.org", "both.test"};
  for (int i = 0; i < 10'000; ++i) block.push_back("d" + std::to_string(i) + ".test");
  const DomainLists lists(allow, block);
  const auto match = [&](std::string_view name) {
    const auto found = lists.match(name);
    return std::pair{found.allowed, found.blocked};
  };
  EXPECT_EQ(match("bbc.co.uk"), std::pair(true, false));
  EXPECT_EQ(match("www.news.bbc.co.uk"), std::pair(true, false));
  EXPECT_EQ(match("co.uk"), std::pair(false, false));
  EXPECT_EQ(match("notbbc.co.uk"), std::pair(false, false));
  EXPECT_EQ(match("bbc.co.uk.evil.test"), std::pair(false, false));
  EXPECT_EQ(match("www.example.org"), std::pair(false, true));
  EXPECT_EQ(match("both.test"), std::pair(true, true));
  EXPECT_EQ(match("www.both.test"), std::pair(true, true));
  for (int i = 0; i < 10'000; i += 997) {
    EXPECT_EQ(match("www.d" + std::to_string(i) + ".test"), std::pair(false, true)) << i;
  }
  EXPECT_EQ(match("d10000.test"), std::pair(false, false));
  EXPECT_EQ(DomainLists({}, {}).match("anything.test").blocked, false);
}

TEST_F(ProfileFilterTest, EachProfileHasItsOwnRules) {
  ProfileFilter filter(clock_, "");
  const auto compiled = CompiledPolicy::compile(policy(), index());
  clock_.set(kSunday, 12, 0);
  filter.install(compiled, "staff");
  EXPECT_EQ(filter.inForce().profile->profile->id, "staff");
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);        // no categories
  EXPECT_EQ(filter.decide("example.org", 1).action, Action::Allow);     // no block list
  EXPECT_EQ(filter.decide("www.google.com", 1).action, Action::Allow);  // safe search off
  // An unknown id puts the default in force.
  filter.install(compiled, "seniors");
  EXPECT_EQ(filter.inForce().profile->profile->id, "juniors");
  EXPECT_EQ(filter.decide("bet.test", 1).reason, Reason::Closed);
}

TEST_F(ProfileFilterTest, WithoutAnIndexTheListsScheduleAndSafeSearchStillApply) {
  ProfileFilter filter(clock_, "");
  EXPECT_EQ(filter.decide("example.org", 1).action, Action::Allow);  // nothing installed yet
  EXPECT_EQ(filter.index(), nullptr);
  std::vector<std::string> unknown;
  filter.install(CompiledPolicy::compile(policy(), nullptr, &unknown), "juniors");
  EXPECT_TRUE(unknown.empty());  // without an index no category is known, nor a typo
  clock_.set(kMonday, 17, 0);
  EXPECT_EQ(filter.decide("example.org", 1).reason, Reason::BlockList);
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("bing.com", 1).rewriteTarget, "strict.bing.com");
  clock_.set(kMonday, 22, 0);
  EXPECT_EQ(filter.decide("bet.test", 1).reason, Reason::Closed);
}

TEST_F(ProfileFilterTest, UnknownCategoryNamesAreReportedAndCategoryIdsFollowEachIndex) {
  std::vector<std::string> unknown;
  auto typo = policy();
  typo.profiles[1].blockedCategories = {"malware", "gamblnig"};
  ProfileFilter filter(clock_, "");
  filter.install(CompiledPolicy::compile(typo, index(), &unknown), "staff");
  EXPECT_EQ(unknown, std::vector<std::string>{"staff: gamblnig"});
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Block);

  di::DomainIndexBuilder builder;
  const auto malware = builder.addCategory("malware");  // id 0 here, 1 in the first index
  builder.addBlocked("casino.test", malware);
  (void)builder.write(dir_.file("second.index"));
  filter.install(CompiledPolicy::compile(typo, di::DomainIndex::open(dir_.file("second.index"))),
                 "staff");
  EXPECT_EQ(filter.decide("casino.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("casino.test", 1).category, malware);
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Allow);
}

TEST_F(ProfileFilterTest, QueriesKeepRunningWhilePoliciesAreSwapped) {
  ProfileFilter filter(clock_, "");
  const auto with =
      CompiledPolicy::compile(builtInPolicy({"gambling"}, SafeSearchLevel::Strict), index());
  auto other = policy();
  other.profiles[0].schedule.clear();
  const auto without = CompiledPolicy::compile(other, index(false));
  filter.install(with, kBuiltInProfileId);
  std::atomic<bool> stop = false;
  std::atomic<int> wrong = 0;
  std::atomic<long> decided = 0;
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        // Blocked by one policy's category and the other's; safe search in both.
        if (filter.decide("bet.test", 1).action != Action::Block) ++wrong;
        if (filter.decide("bing.com", 1).rewriteTarget != "strict.bing.com") ++wrong;
        ++decided;
      }
    });
  }
  // Until the readers have been busy through many swaps, however the threads are scheduled.
  for (int i = 0; i < 2000 || decided < 20000; ++i) {
    if (i % 2 == 0) {
      filter.install(without, "juniors");
    } else {
      filter.install(with, kBuiltInProfileId);
    }
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong, 0);
}

Unlock unlockDomain(std::string name, std::int64_t until) {
  return {Unlock::Scope::Domain, std::move(name), until};
}
Unlock unlockCategory(std::string name, std::int64_t until) {
  return {Unlock::Scope::Category, std::move(name), until};
}

TEST_F(ProfileFilterTest, AnUnlockedNameBeatsHoursBlockListAndCategoriesUntilItExpires) {
  ProfileFilter filter(clock_, "");
  filter.install(CompiledPolicy::compile(policy(), index()), "juniors");
  clock_.set(kSunday, 12, 0);  // closed
  const auto until = clock_.seconds + 600;
  filter.setUnlocks({unlockDomain("bet.test", until), unlockDomain("example.org", until)});
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("www.bet.test", 1).action, Action::Allow);  // subdomains too
  EXPECT_EQ(filter.decide("example.org", 1).action, Action::Allow);   // the block list's
  EXPECT_EQ(filter.decide("notbet.test", 1).reason, Reason::Closed);  // not a parent's
  EXPECT_EQ(filter.decide("test", 1).reason, Reason::Closed);
  EXPECT_EQ(filter.decide("bet.test.evil.test", 1).reason, Reason::Closed);
  // Safe search still applies.
  filter.setUnlocks({unlockDomain("google.co.uk", until)});
  EXPECT_EQ(filter.decide("www.google.co.uk", 1).rewriteTarget, "forcesafesearch.google.com");

  filter.setUnlocks({unlockDomain("bet.test", until)});
  clock_.set(kMonday, 17, 0);  // open
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  clock_.seconds = until - 1;
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  clock_.seconds = until;  // expired: no timer, the next query sees it
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("bet.test", 1).reason, Reason::Category);
  EXPECT_EQ(filter.decide("example.org", 1).reason, Reason::BlockList);
}

TEST_F(ProfileFilterTest, AnUnlockedCategoryUnblocksThatCategoryOnly) {
  auto both = policy();
  both.profiles[0].blockedCategories = {"gambling", "malware"};
  both.profiles[0].block.push_back("casino2.test");
  ProfileFilter filter(clock_, "");
  filter.install(CompiledPolicy::compile(both, index()), "juniors");
  clock_.set(kMonday, 17, 0);
  const auto until = clock_.seconds + 60;
  filter.setUnlocks({unlockCategory("gambling", until), unlockCategory("no-such", until)});
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("virus.test", 1).action, Action::Block);        // malware
  EXPECT_EQ(filter.decide("casino2.test", 1).reason, Reason::BlockList);  // named by the club
  clock_.set(kSunday, 12, 0);
  EXPECT_EQ(filter.decide("bet.test", 1).reason, Reason::Closed);  // hours still apply
  clock_.set(kMonday, 17, 0);
  clock_.seconds = until;
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  filter.setUnlocks({});
  clock_.seconds = until - 60;
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
}

TEST_F(ProfileFilterTest, NoUnlockReachesIllegalContent) {
  auto open = policy();
  open.profiles[0].schedule.clear();
  ProfileFilter filter(clock_, "");
  filter.install(CompiledPolicy::compile(open, index()), "juniors");
  const auto until = clock_.seconds + 600;
  filter.setUnlocks({unlockDomain("bad.test", until), unlockDomain("worse.test", until),
                     unlockCategory("terrorism", until)});
  for (const char* name : {"bad.test", "www.bad.test", "worse.test", "www.worse.test"}) {
    EXPECT_EQ(filter.decide(name, 1).action, Action::Block) << name;
  }
}

TEST_F(ProfileFilterTest, UnlocksStayThroughNewPoliciesAndFollowEachIndexsCategoryIds) {
  ProfileFilter filter(clock_, "");
  filter.setUnlocks({unlockCategory("gambling", clock_.seconds + 600)});  // before any policy
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.index(), nullptr);
  auto open = policy();
  open.profiles[0].schedule.clear();
  filter.install(CompiledPolicy::compile(open, index()), "juniors");
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);

  di::DomainIndexBuilder builder;  // gambling has another id here
  (void)builder.addCategory("malware");
  const auto gambling = builder.addCategory("gambling");
  builder.addBlocked("bet.test", gambling);
  builder.addBlocked("casino.test", gambling);
  (void)builder.write(dir_.file("second.index"));
  filter.install(CompiledPolicy::compile(open, di::DomainIndex::open(dir_.file("second.index"))),
                 "juniors");
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Allow);
  filter.setUnlocks({});
  EXPECT_EQ(filter.decide("bet.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("bet.test", 1).category, gambling);
}

// The real clock, once: it agrees with the C library in a zone with summer time and in one
// with a half-hour offset.
TEST(SystemLocalClock, AgreesWithTheCLibrary) {
  const char* saved = std::getenv("TZ");
  const std::string previous = saved != nullptr ? saved : "";
  for (const char* zone : {"GMT0BST,M3.5.0/1,M10.5.0", "IST-5:30", "NST3:30NDT,M3.2.0,M11.1.0"}) {
    ::setenv("TZ", zone, 1);
    ::tzset();
    const SystemLocalClock clock;  // a new one asks the library afresh
    for (int attempt = 0; attempt < 3; ++attempt) {
      const auto before = std::time(nullptr);
      const auto now = clock.now();
      std::tm local{};
      ASSERT_NE(::localtime_r(&before, &local), nullptr);
      if (std::time(nullptr) / 60 != before / 60) continue;  // a minute turned over meanwhile
      EXPECT_EQ(now.weekday, (local.tm_wday + 6) % 7) << zone;
      EXPECT_EQ(now.minute, local.tm_hour * 60 + local.tm_min) << zone;
      break;
    }
  }
  if (saved != nullptr) {
    ::setenv("TZ", previous.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

}  // namespace
}  // namespace clubsafe::agent::dns
