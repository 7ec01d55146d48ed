// The filtering review's rules apart from storage: what may be allowed and how allow entries are
// added and taken out again.
#include "collector/review/review_rules.hpp"

#include "collector/filtering/filtering_service.hpp"

#include <gtest/gtest.h>

namespace clubsafe::collector::review {
namespace {

using namespace std::chrono_literals;

common::Profile profile(std::string id, std::vector<std::string> allow = {},
                        std::vector<std::string> block = {}) {
  common::Profile made;
  made.id = id;
  made.name = "Profile " + id;
  made.allow = std::move(allow);
  made.block = std::move(block);
  return made;
}

// The message of the FilteringError `action` throws, or "" when it throws none.
template <typename Action>
std::string refusal(Action&& action,
                    FilteringError::Kind expected = FilteringError::Kind::Invalid) {
  try {
    action();
  } catch (const FilteringError& error) {
    EXPECT_EQ(error.kind(), expected) << error.what();
    return error.what();
  }
  return {};
}

TEST(ReviewRulesTest, SiteNamesAreNormalisedAndNonsenseIsRefused) {
  EXPECT_EQ(siteName("Example.ORG."), "example.org");
  EXPECT_NE(
      refusal([] { (void)siteName("http://example.org/page"); }).find("not the name of a website"),
      std::string::npos);
  EXPECT_FALSE(refusal([] { (void)siteName(""); }).empty());
  EXPECT_FALSE(refusal([] { (void)siteName("192.0.2.1"); }).empty());
}

TEST(ReviewRulesTest, IllegalContentIsNeverAllowedWhateverNamesIt) {
  EXPECT_NE(refusal([] { refuseIllegalContent("bad.test", "iwf", {}); }).find("law requires"),
            std::string::npos);
  EXPECT_NE(refusal([] {
              refuseIllegalContent("bad.test", "", {"gambling", "terrorism"});
            }).find("Terrorist content"),
            std::string::npos);
  EXPECT_TRUE(
      refusal([] { refuseIllegalContent("casino.test", "gambling", {"gambling"}); }).empty());
  EXPECT_TRUE(refusal([] { refuseIllegalContent("casino.test", "", {}); }).empty());
}

TEST(ReviewRulesTest, DurationsAreForAllowsOnlyAndWithinAYear) {
  EXPECT_TRUE(refusal([] { checkDuration(ReviewVerdict::Allow, std::nullopt); }).empty());
  EXPECT_TRUE(refusal([] { checkDuration(ReviewVerdict::Allow, 60min); }).empty());
  EXPECT_TRUE(refusal([] { checkDuration(ReviewVerdict::Allow, kMaxAllowMinutes); }).empty());
  EXPECT_FALSE(refusal([] { checkDuration(ReviewVerdict::Allow, 0min); }).empty());
  EXPECT_FALSE(
      refusal([] { checkDuration(ReviewVerdict::Allow, kMaxAllowMinutes + 1min); }).empty());
  EXPECT_TRUE(refusal([] { checkDuration(ReviewVerdict::KeepBlocked, std::nullopt); }).empty());
  EXPECT_NE(refusal([] { checkDuration(ReviewVerdict::KeepBlocked, 60min); }).find("no end time"),
            std::string::npos);
}

TEST(ReviewRulesTest, AnAllowHoldsOnlyTheEntriesItAddedOrThatReviewsHold) {
  std::vector<common::Profile> profiles{profile("juniors"), profile("seniors", {"site.test"}),
                                        profile("staff", {"site.test"})};
  // seniors' entry was typed by the manager; staff's is held by an earlier review allow.
  const auto holds = addAllowEntry(profiles, "site.test", kAllProfiles, {"staff"});
  EXPECT_EQ(holds, (std::vector<std::string>{"juniors", "staff"}));
  for (const auto& changed : profiles) {
    EXPECT_EQ(std::count(changed.allow.begin(), changed.allow.end(), "site.test"), 1) << changed.id;
  }

  // One profile only.
  std::vector<common::Profile> two{profile("juniors"), profile("seniors")};
  EXPECT_EQ(addAllowEntry(two, "site.test", "seniors", {}), (std::vector<std::string>{"seniors"}));
  EXPECT_TRUE(two[0].allow.empty());
}

TEST(ReviewRulesTest, AnUnknownProfileOrABlockEntryIsRefused) {
  std::vector<common::Profile> profiles{profile("juniors"), profile("seniors", {}, {"site.test"})};
  const auto before = profiles;
  EXPECT_NE(refusal([&] { (void)addAllowEntry(profiles, "site.test", "nobody", {}); },
                    FilteringError::Kind::NotFound)
                .find("no profile \"nobody\""),
            std::string::npos);
  EXPECT_NE(refusal([&] {
              (void)addAllowEntry(profiles, "site.test", kAllProfiles, {});
            }).find("blocked sites of the profile \"Profile seniors\""),
            std::string::npos);
  EXPECT_TRUE(refusal([&] { (void)addAllowEntry(profiles, "site.test", "juniors", {}); }).empty());
  EXPECT_EQ(profiles[1], before[1]);
}

TEST(ReviewRulesTest, TheEndOfAnAllowKeepsEntriesOthersHold) {
  std::vector<common::Profile> profiles{profile("juniors", {"site.test", "other.test"}),
                                        profile("seniors", {"site.test"}),
                                        profile("staff", {"site.test"})};
  // The allow held juniors and seniors; another allow in force still holds seniors; staff's
  // entry was the manager's.
  removeAllowEntry(profiles, "site.test", {"juniors", "seniors", "gone"}, {"seniors"});
  EXPECT_EQ(profiles[0].allow, (std::vector<std::string>{"other.test"}));
  EXPECT_EQ(profiles[1].allow, (std::vector<std::string>{"site.test"}));
  EXPECT_EQ(profiles[2].allow, (std::vector<std::string>{"site.test"}));
}

TEST(ReviewRulesTest, HeldProfilesAreThoseOfTheSitesAllowsButTheExcepted) {
  const auto allow = [](std::int64_t id, std::string domain, std::vector<std::string> holds) {
    ReviewDecision made;
    made.id = id;
    made.domain = std::move(domain);
    made.holds = std::move(holds);
    return made;
  };
  const std::vector<ReviewDecision> allows{allow(1, "site.test", {"juniors"}),
                                           allow(2, "site.test", {"seniors"}),
                                           allow(3, "other.test", {"staff"})};
  EXPECT_EQ(heldProfiles(allows, "site.test"), (std::set<std::string>{"juniors", "seniors"}));
  EXPECT_EQ(heldProfiles(allows, "site.test", {1}), (std::set<std::string>{"seniors"}));
  EXPECT_TRUE(heldProfiles(allows, "none.test").empty());
}

}  // namespace
}  // namespace clubsafe::collector::review
