#include "agent/policy/active_profile.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace clubsafe::agent::policy {
namespace {

class NoonClock final : public dns::LocalClock {
 public:
  [[nodiscard]] dns::LocalTime now() const noexcept override { return {0, 12 * 60}; }
};

common::Profile profile(const std::string& id, std::vector<std::string> bands,
                        std::vector<std::string> block) {
  common::Profile result;
  result.id = id;
  result.name = "Profile " + id;
  result.ageBands = std::move(bands);
  result.block = std::move(block);
  return result;
}

std::shared_ptr<const dns::CompiledPolicy> compiled(std::int64_t version,
                                                    std::vector<common::Profile> profiles) {
  common::Policy policy;
  policy.version = version;
  policy.defaultProfile = profiles.front().id;
  policy.profiles = std::move(profiles);
  return dns::CompiledPolicy::compile(std::move(policy), nullptr);
}

class ActiveProfileTest : public ::testing::Test {
 protected:
  bool blocked(std::string_view name) const {
    return filter_.decide(name, 1).action == dns::Verdict::Action::Block;
  }

  NoonClock clock_;
  dns::ProfileFilter filter_{clock_, ""};
  ActiveProfile active_{filter_};
};

TEST_F(ActiveProfileTest, TheDefaultAppliesUntilSomeoneSignsIn) {
  EXPECT_EQ(active_.current().policyVersion, 0);
  EXPECT_EQ(active_.current().profileId, "");
  const auto now =
      active_.setPolicy(compiled(4, {profile("juniors", {"8-12"}, {"juniors.test"}),
                                     profile("seniors", {"13-15", "16-18"}, {"seniors.test"})}));
  EXPECT_EQ(now.policyVersion, 4);
  EXPECT_EQ(now.profileId, "juniors");
  EXPECT_EQ(now.profileName, "Profile juniors");
  EXPECT_FALSE(now.ageBand.has_value());
  EXPECT_TRUE(blocked("juniors.test"));
  EXPECT_FALSE(blocked("seniors.test"));
}

TEST_F(ActiveProfileTest, SigningInSelectsTheBandsProfileAndSigningOutReturnsToTheDefault) {
  (void)active_.setPolicy(compiled(1, {profile("juniors", {"8-12"}, {"juniors.test"}),
                                       profile("seniors", {"13-15", "16-18"}, {"seniors.test"})}));
  EXPECT_EQ(active_.signIn("16-18").profileId, "seniors");
  EXPECT_EQ(active_.current().ageBand, "16-18");
  EXPECT_TRUE(blocked("seniors.test"));
  EXPECT_FALSE(blocked("juniors.test"));
  EXPECT_EQ(active_.signOut().profileId, "juniors");
  EXPECT_TRUE(blocked("juniors.test"));
  EXPECT_FALSE(active_.current().ageBand.has_value());
}

TEST_F(ActiveProfileTest, ABandNoProfileListsKeepsTheDefault) {
  (void)active_.setPolicy(compiled(1, {profile("juniors", {"8-12"}, {"juniors.test"}),
                                       profile("seniors", {"13-15"}, {"seniors.test"})}));
  const auto now = active_.signIn("staff");
  EXPECT_EQ(now.profileId, "juniors");
  EXPECT_EQ(now.ageBand, "staff");
  EXPECT_TRUE(blocked("juniors.test"));
}

TEST_F(ActiveProfileTest, APolicyChangeKeepsAMemberOnTheirBandsProfileWhileItExists) {
  (void)active_.setPolicy(compiled(1, {profile("juniors", {"8-12"}, {"juniors.test"}),
                                       profile("seniors", {"13-15"}, {"seniors.test"})}));
  (void)active_.signIn("13-15");
  // The seniors' profile changes: the member stays on it and gets its new rules.
  auto now = active_.setPolicy(compiled(2, {profile("juniors", {"8-12"}, {"juniors.test"}),
                                            profile("seniors", {"13-15"}, {"other.test"})}));
  EXPECT_EQ(now.policyVersion, 2);
  EXPECT_EQ(now.profileId, "seniors");
  EXPECT_TRUE(blocked("other.test"));
  // The band moves to another profile: the member follows it.
  now = active_.setPolicy(compiled(3, {profile("juniors", {"8-12", "13-15"}, {"juniors.test"}),
                                       profile("seniors", {}, {"other.test"})}));
  EXPECT_EQ(now.profileId, "juniors");
  // No profile lists the band any more: the default.
  now = active_.setPolicy(compiled(
      4, {profile("staff", {"staff"}, {}), profile("juniors", {"8-12"}, {"juniors.test"})}));
  EXPECT_EQ(now.profileId, "staff");
  EXPECT_FALSE(blocked("juniors.test"));
  // ...and when one lists it again, the member still signed in gets it.
  now = active_.setPolicy(compiled(5, {profile("staff", {"staff"}, {}),
                                       profile("juniors", {"8-12", "13-15"}, {"juniors.test"})}));
  EXPECT_EQ(now.profileId, "juniors");
}

TEST_F(ActiveProfileTest, SignInsPolicyChangesAndQueriesFromManyThreads) {
  const auto first = compiled(1, {profile("juniors", {"8-12"}, {"both.test"}),
                                  profile("seniors", {"13-15"}, {"both.test"})});
  const auto second = compiled(2, {profile("seniors", {"13-15"}, {"both.test"}),
                                   profile("juniors", {"8-12"}, {"both.test"})});
  (void)active_.setPolicy(first);
  std::atomic<bool> stop = false;
  std::atomic<int> wrong = 0;
  std::thread reader([&] {
    while (!stop) {
      if (!blocked("both.test")) ++wrong;
    }
  });
  std::thread signing([&] {
    for (int i = 0; i < 500; ++i) (void)(i % 2 == 0 ? active_.signIn("13-15") : active_.signOut());
  });
  for (int i = 0; i < 500; ++i) (void)active_.setPolicy(i % 2 == 0 ? second : first);
  signing.join();
  stop = true;
  reader.join();
  EXPECT_EQ(wrong, 0);
  const auto now = active_.signIn("13-15");
  EXPECT_EQ(now.profileId, "seniors");
}

}  // namespace
}  // namespace clubsafe::agent::policy
