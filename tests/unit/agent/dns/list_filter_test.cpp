#include "agent/dns/list_filter.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::dns {
namespace {

using Action = Verdict::Action;

ListFilter makeFilter() {
  return ListFilter({
      {"blocked.test", Action::Block, 7, {}},
      {"ok.blocked.test", Action::Allow, 0, {}},
      {"www.google.com", Action::Rewrite, 0, "forcesafesearch.google.com"},
      {"deeper.other.test", Action::Block, 9, {}},
      {"other.test", Action::Block, 8, {}},
  });
}

TEST(ListFilterTest, BlocksADomainAndEverySubdomainButNotLookalikes) {
  const auto filter = makeFilter();
  EXPECT_EQ(filter.decide("blocked.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("blocked.test", 1).category, 7);
  EXPECT_EQ(filter.decide("a.b.blocked.test", 1).action, Action::Block);
  EXPECT_EQ(filter.decide("notblocked.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("", 1).action, Action::Allow);
}

TEST(ListFilterTest, AnAllowOnTheNameOrAParentBeatsABlock) {
  const auto filter = makeFilter();
  EXPECT_EQ(filter.decide("ok.blocked.test", 1).action, Action::Allow);
  EXPECT_EQ(filter.decide("x.ok.blocked.test", 1).action, Action::Allow);
}

TEST(ListFilterTest, TheMostSpecificRuleGivesTheCategoryAndTarget) {
  const auto filter = makeFilter();
  EXPECT_EQ(filter.decide("x.deeper.other.test", 1).category, 9);
  EXPECT_EQ(filter.decide("x.other.test", 1).category, 8);
  const auto rewrite = filter.decide("www.google.com", 1);
  EXPECT_EQ(rewrite.action, Action::Rewrite);
  EXPECT_EQ(rewrite.rewriteTarget, "forcesafesearch.google.com");
}

TEST(ListFilterTest, CanariesGetNxDomain) {
  const ListFilter filter(canaryRules());
  EXPECT_EQ(filter.decide("use-application-dns.net", 1).action, Action::NxDomain);
  EXPECT_EQ(filter.decide("mask.icloud.com", 28).action, Action::NxDomain);
  EXPECT_EQ(filter.decide("icloud.com", 1).action, Action::Allow);
}

}  // namespace
}  // namespace clubsafe::agent::dns
