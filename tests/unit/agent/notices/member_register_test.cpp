#include "agent/notices/member_register.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::notices {
namespace {

common::Policy clubPolicy(std::string defaultProfile) {
  const auto profile = [](std::string id, std::vector<std::string> bands) {
    common::Profile result;
    result.id = std::move(id);
    result.name = result.id;
    result.ageBands = std::move(bands);
    return result;
  };
  common::Policy policy;
  policy.defaultProfile = std::move(defaultProfile);
  policy.profiles = {profile("juniors", {"8-12"}), profile("seniors", {"13-15"}),
                     profile("young_adults", {"16-17", "18-25"}), profile("guests", {"visitor"}),
                     profile("open", {})};
  policy.members = {{"K7", "18-25"}, {"Łucja", "13-15"}};
  return policy;
}

TEST(MemberRegister, BandsStartAtTheirFirstNumberAndOthersComeLast) {
  EXPECT_EQ(common::ageBandStart("8-12"), 8U);
  EXPECT_EQ(common::ageBandStart("18-25"), 18U);
  EXPECT_GT(common::ageBandStart("visitor"), common::ageBandStart("99-100"));
  EXPECT_GT(common::ageBandStart(""), 100U);
}

TEST(MemberRegister, TheRegisterGivesItsBandToANameHoweverItIsTyped) {
  const auto policy = clubPolicy("juniors");
  EXPECT_EQ(registeredAgeBand(policy, "k7"), "18-25");
  EXPECT_EQ(registeredAgeBand(policy, " ŁUCJA "), "13-15");
  EXPECT_EQ(registeredAgeBand(policy, "K 7"), std::nullopt);
  EXPECT_EQ(registeredAgeBand(policy, "Lucja"), std::nullopt);
}

TEST(MemberRegister, WithoutTheRegisterOnlyTheDefaultsBandsOrYoungerOnes) {
  const auto juniors = clubPolicy("juniors");
  EXPECT_TRUE(choosableWithoutRegister(juniors, "8-12"));
  EXPECT_FALSE(choosableWithoutRegister(juniors, "13-15"));
  EXPECT_FALSE(choosableWithoutRegister(juniors, "18-25"));
  EXPECT_FALSE(choosableWithoutRegister(juniors, "visitor"));  // not an age: not assumed strict
  EXPECT_FALSE(choosableWithoutRegister(juniors, "9-99"));     // no profile gives it

  const auto seniors = clubPolicy("seniors");
  EXPECT_TRUE(choosableWithoutRegister(seniors, "8-12"));
  EXPECT_TRUE(choosableWithoutRegister(seniors, "13-15"));
  EXPECT_FALSE(choosableWithoutRegister(seniors, "16-17"));

  // A default profile without bands: only its own members' register decides.
  EXPECT_FALSE(choosableWithoutRegister(clubPolicy("open"), "8-12"));
}

}  // namespace
}  // namespace clubsafe::agent::notices
