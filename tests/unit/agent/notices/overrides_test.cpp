#include "agent/notices/overrides.hpp"

#include "common/domain_index/domain_index_builder.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>

namespace clubsafe::agent::notices {
namespace {

namespace di = common::domain_index;
using Action = dns::Verdict::Action;
using std::chrono::minutes;

// The OS seam: one wall clock both the filter and the overrides read, set by the tests.
class TestClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
  [[nodiscard]] std::int64_t unixSeconds() const noexcept override { return seconds.load(); }
  [[nodiscard]] common::Timestamp wall() const {
    return common::Timestamp(std::chrono::seconds(seconds.load()));
  }
  void advance(minutes by) { seconds += std::chrono::seconds(by).count(); }
  std::atomic<std::int64_t> seconds = 1'800'000'000;
};

class OverridesTest : public ::testing::Test {
 protected:
  OverridesTest() {
    di::DomainIndexBuilder builder;
    const auto gambling = builder.addCategory("gambling");
    const auto malware = builder.addCategory("malware");
    const auto terrorism = builder.addCategory("terrorism");
    const auto iwf = builder.addCategory("iwf");
    builder.addBlocked("bet.test", gambling);
    builder.addBlocked("casino.test", gambling);
    builder.addBlocked("virus.test", malware);
    builder.addBlocked("bad.test", terrorism);
    builder.addAllowed("bad.test");  // the index's allow entry does not make it unlockable
    builder.addBlocked("abuse.test", iwf);
    (void)builder.write(dir_.file("domains.index"));
    common::Profile profile;
    profile.id = "juniors";
    profile.name = "Juniors";
    profile.blockedCategories = {"gambling", "malware"};
    profile.block = {"example.org"};
    common::Policy policy;
    policy.version = 1;
    policy.defaultProfile = "juniors";
    policy.profiles = {profile};
    filter_.install(
        dns::CompiledPolicy::compile(policy, di::DomainIndex::open(dir_.file("domains.index"))),
        "juniors");
    std::filesystem::create_directory(stateDir());
  }

  [[nodiscard]] std::string stateDir() const { return dir_.file("state"); }
  [[nodiscard]] std::string file() const { return dir_.file("state/overrides.json"); }
  [[nodiscard]] Overrides::WallClock wallClock() const {
    return [this] { return clock_.wall(); };
  }
  [[nodiscard]] Action decide(std::string_view name) const {
    return filter_.decide(name, 1).action;
  }

  static Grant grant(std::string scope, std::string target, std::int64_t duration = 30) {
    return {std::move(scope), std::move(target), duration, "Homework on betting odds", "Sam"};
  }

  // That `grant` is refused with `words` in its message, and nothing changed.
  void expectRefused(Overrides& overrides, const Grant& grant, const std::string& words) {
    const auto before = overrides.active().size();
    try {
      (void)overrides.grant(grant, "pupil");
      ADD_FAILURE() << "granted " << grant.scope << " " << grant.target;
    } catch (const OverrideError& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
    EXPECT_EQ(overrides.active().size(), before) << grant.target;
  }

  clubsafe::testing::TempDir dir_;
  TestClock clock_;
  dns::ProfileFilter filter_{clock_, ""};
};

TEST_F(OverridesTest, ADomainIsUnlockedWithItsSubdomainsAndTheEventSaysWhoAndWhy) {
  Overrides overrides(stateDir(), filter_, wallClock());
  EXPECT_EQ(decide("www.bet.test"), Action::Block);
  const auto event = overrides.grant(grant("domain", " WWW.Bet.Test. ", 45), "pupil");
  EXPECT_EQ(event.type, common::EventType::Override);
  EXPECT_EQ(event.osUser, "pupil");
  EXPECT_EQ(event.payload->getValue<std::string>("scope"), "domain");
  EXPECT_EQ(event.payload->getValue<std::string>("target"), "www.bet.test");
  EXPECT_EQ(event.payload->getValue<std::int64_t>("minutes"), 45);
  EXPECT_EQ(event.payload->getValue<std::string>("reason"), "Homework on betting odds");
  EXPECT_EQ(event.payload->getValue<std::string>("worker"), "Sam");
  EXPECT_EQ(decide("www.bet.test"), Action::Allow);
  EXPECT_EQ(decide("img.www.bet.test"), Action::Allow);
  EXPECT_EQ(decide("bet.test"), Action::Block);  // a parent is not covered

  const auto active = overrides.active();
  ASSERT_EQ(active.size(), 1U);
  EXPECT_EQ(active[0].scope, "domain");
  EXPECT_EQ(active[0].target, "www.bet.test");
  EXPECT_EQ(active[0].worker, "Sam");
  EXPECT_EQ(active[0].until, clock_.wall() + minutes(45));
}

TEST_F(OverridesTest, ACategoryTheListsKnowIsUnlocked) {
  Overrides overrides(stateDir(), filter_, wallClock());
  const auto event = overrides.grant(grant("category", "gambling"), "pupil");
  EXPECT_EQ(event.payload->getValue<std::string>("target"), "gambling");
  EXPECT_EQ(decide("casino.test"), Action::Allow);
  EXPECT_EQ(decide("virus.test"), Action::Block);
  expectRefused(overrides, grant("category", "gamblnig"), "no category called \"gamblnig\"");
}

TEST_F(OverridesTest, AnOverrideStopsApplyingWhenItExpires) {
  Overrides overrides(stateDir(), filter_, wallClock());
  (void)overrides.grant(grant("domain", "bet.test", 10), "pupil");
  (void)overrides.grant(grant("category", "malware", 20), "pupil");
  clock_.advance(minutes(10) - minutes(1));
  EXPECT_EQ(decide("bet.test"), Action::Allow);
  EXPECT_EQ(overrides.active().size(), 2U);
  clock_.advance(minutes(1));
  EXPECT_EQ(decide("bet.test"), Action::Block);
  EXPECT_EQ(decide("virus.test"), Action::Allow);
  ASSERT_EQ(overrides.active().size(), 1U);
  EXPECT_EQ(overrides.active()[0].target, "malware");
  clock_.advance(minutes(10));
  EXPECT_EQ(decide("virus.test"), Action::Block);
  EXPECT_TRUE(overrides.active().empty());
}

TEST_F(OverridesTest, IllegalContentCanNeverBeUnlocked) {
  Overrides overrides(stateDir(), filter_, wallClock());
  expectRefused(overrides, grant("category", "iwf"), "the law requires us to block");
  expectRefused(overrides, grant("category", "terrorism"), "the law requires us to block");
  for (const char* name : {"abuse.test", "www.abuse.test", "bad.test", "Sub.Bad.Test"}) {
    expectRefused(overrides, grant("domain", name),
                  "This site can't be unlocked: it is in a category the law requires us to block");
  }
  EXPECT_FALSE(std::filesystem::exists(file()));
  EXPECT_EQ(decide("abuse.test"), Action::Block);
}

TEST_F(OverridesTest, BrokenRulesAreRefusedInPlainWordsAndChangeNothing) {
  Overrides overrides(stateDir(), filter_, wallClock());
  expectRefused(overrides, grant("everything", "bet.test"), "one website or one category");
  expectRefused(overrides, grant("domain", "bet.test", 0), "from 1 minute to 4 hours");
  expectRefused(overrides, grant("domain", "bet.test", 241), "(240 minutes)");
  auto shortReason = grant("domain", "bet.test");
  shortReason.reason = "  ok \n";
  expectRefused(overrides, shortReason, "Write a reason");
  auto longReason = grant("domain", "bet.test");
  longReason.reason = std::string(301, 'x');
  expectRefused(overrides, longReason, "too long");
  auto nobody = grant("domain", "bet.test");
  nobody.worker.clear();
  expectRefused(overrides, nobody, "staff PIN");
  nobody.worker = std::string(common::kMaxWorkerNameLength + 1, 'x');  // not a policy's worker
  expectRefused(overrides, nobody, "staff PIN");
  expectRefused(overrides, grant("domain", "https://bet.test/page"), "like example.com");
  expectRefused(overrides, grant("domain", "192.0.2.1"), "like example.com");
  expectRefused(overrides, grant("domain", "test"), "would unlock far too much");
  expectRefused(overrides, grant("domain", ""), "like example.com");
  EXPECT_FALSE(std::filesystem::exists(file()));
  EXPECT_EQ(decide("bet.test"), Action::Block);
  // The bounds themselves are allowed.
  (void)overrides.grant(grant("domain", "bet.test", 1), "pupil");
  (void)overrides.grant(grant("domain", "casino.test", 240), "pupil");
}

TEST_F(OverridesTest, AGrantForTheSameTargetReplacesTheOldOneAndTheirNumberIsBounded) {
  Overrides overrides(stateDir(), filter_, wallClock());
  (void)overrides.grant(grant("domain", "bet.test", 120), "pupil");
  (void)overrides.grant(grant("domain", "bet.test", 5), "pupil");
  ASSERT_EQ(overrides.active().size(), 1U);
  EXPECT_EQ(overrides.active()[0].until, clock_.wall() + minutes(5));
  for (std::size_t i = 1; i < kMaxActiveOverrides; ++i) {
    (void)overrides.grant(grant("domain", "site" + std::to_string(i) + ".test"), "pupil");
  }
  expectRefused(overrides, grant("domain", "one-more.test"), "Wait for one to end");
  clock_.advance(minutes(5));  // bet.test's ends, which makes room
  (void)overrides.grant(grant("domain", "one-more.test"), "pupil");
  EXPECT_EQ(overrides.active().size(), kMaxActiveOverrides);
}

TEST_F(OverridesTest, ARestartReloadsTheOverridesThatHaveNotExpired) {
  {
    Overrides overrides(stateDir(), filter_, wallClock());
    (void)overrides.grant(grant("domain", "bet.test", 10), "pupil");
    (void)overrides.grant(grant("category", "malware", 60), "pupil");
  }
  struct stat info {};
  ASSERT_EQ(::stat(file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);

  clock_.advance(minutes(30));
  dns::ProfileFilter restarted(clock_, "");
  restarted.install(filter_.inForce().policy, "juniors");
  Overrides reloaded(stateDir(), restarted, wallClock());
  const auto active = reloaded.active();
  ASSERT_EQ(active.size(), 1U);
  EXPECT_EQ(active[0].target, "malware");
  EXPECT_EQ(active[0].worker, "Sam");
  EXPECT_EQ(restarted.decide("virus.test", 1).action, Action::Allow);
  EXPECT_EQ(restarted.decide("bet.test", 1).action, Action::Block);
  clock_.advance(minutes(30));
  EXPECT_EQ(restarted.decide("virus.test", 1).action, Action::Block);
}

TEST_F(OverridesTest, ABrokenFileIsIgnoredAndReplacedByTheNextGrant) {
  for (
      const std::string text :
      {"not json", "{\"format\":1}", "{\"format\":2,\"overrides\":[]}",
       R"({"format":1,"overrides":[{"scope":"domain","target":"BET.test","until":"2030-01-01T00:00:00Z","worker":"Sam","reason":"x"}]})",
       R"({"format":1,"overrides":[{"scope":"all","target":"bet.test","until":"2030-01-01T00:00:00Z","worker":"Sam","reason":"x"}]})",
       R"({"format":1,"overrides":[{"scope":"domain","target":"bet.test","until":"soon","worker":"Sam","reason":"x"}]})"}) {
    std::ofstream(file()) << text;
    Overrides overrides(stateDir(), filter_, wallClock());
    EXPECT_TRUE(overrides.active().empty()) << text;
    EXPECT_EQ(decide("bet.test"), Action::Block) << text;
  }
  std::ofstream(file()) << "not json";
  Overrides overrides(stateDir(), filter_, wallClock());
  (void)overrides.grant(grant("domain", "bet.test"), "pupil");
  Overrides reloaded(stateDir(), filter_, wallClock());
  EXPECT_EQ(reloaded.active().size(), 1U);
}

TEST_F(OverridesTest, AGrantThatCannotBeSavedIsNotMade) {
  std::ofstream(dir_.file("not-a-folder")) << "a file where the state folder should be";
  Overrides overrides(dir_.file("not-a-folder"), filter_, wallClock());
  expectRefused(overrides, grant("domain", "bet.test"), "could not be saved");
  EXPECT_EQ(decide("bet.test"), Action::Block);
}

}  // namespace
}  // namespace clubsafe::agent::notices
