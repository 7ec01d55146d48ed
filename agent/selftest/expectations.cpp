#include "agent/selftest/expectations.hpp"

#include "agent/dns/index_filter.hpp"
#include "common/policy.hpp"

#include <algorithm>

namespace clubsafe::agent::selftest {

FilterExpectations expectationsInForce(const dns::ProfileFilter& filter,
                                       dns::BlockAnswer blockAnswer,
                                       const dns::BlockAddresses& blockAddresses,
                                       const std::vector<TestName>& settingNames) {
  FilterExpectations expected;
  expected.blockAnswer = blockAnswer;
  expected.blockAddresses = blockAddresses;
  const auto inForce = filter.inForce();
  if (!inForce.policy || inForce.profile == nullptr) return expected;
  const auto& policy = *inForce.policy;
  const auto& profile = *inForce.profile;
  expected.safeSearch = profile.profile->safeSearch;
  expected.index = policy.index();
  if (!expected.index) return expected;

  const auto blocked = profile.blocked | policy.alwaysBlocked();
  const auto& categories = expected.index->categories();
  const auto* published = policy.policy().index ? &policy.policy().index->testNames : nullptr;
  for (std::size_t id = 0; id < categories.size() && id < blocked.size(); ++id) {
    if (!blocked.test(id)) continue;
    const auto& category = categories[id];
    expected.blockedCategories.push_back(category);
    std::string name;
    const auto given = std::find_if(settingNames.begin(), settingNames.end(),
                                    [&](const TestName& t) { return t.category == category; });
    if (given != settingNames.end()) {
      name = given->name;
    } else if (published != nullptr) {
      if (const auto found = published->find(category); found != published->end()) {
        name = found->second;
      }
    }
    if (name.empty()) continue;
    const bool illegal = common::isAlwaysBlockedCategory(category);
    if (!illegal && profile.lists.match(name).allowed) continue;
    expected.testNames.push_back({category, std::move(name)});
  }
  return expected;
}

}  // namespace clubsafe::agent::selftest
