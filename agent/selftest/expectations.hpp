#pragma once

#include "agent/dns/profile_filter.hpp"
#include "agent/dns/wire.hpp"
#include "agent/selftest/filter_self_test.hpp"

#include <vector>

namespace clubsafe::agent::selftest {

// What the profile `filter` has in force promises, for the self-test: the categories it blocks
// and the illegal-content ones every profile blocks, as far as the index in force has them (a
// category the index lacks blocks nothing, so there is nothing to check); for each a test name
// from `settingNames` (setting selftest.test_names, which win) or else the policy's
// index.test_names; its safe-search level; the index in force. A test name the profile's allow
// list covers is left out, since the filter rightly resolves it (the self-test then reports the
// category as having no test name, not as unblocked). Nothing in force (before install): no
// categories and safe search off, so only the canary is checked.
[[nodiscard]] FilterExpectations expectationsInForce(const dns::ProfileFilter& filter,
                                                     dns::BlockAnswer blockAnswer,
                                                     const dns::BlockAddresses& blockAddresses,
                                                     const std::vector<TestName>& settingNames);

}  // namespace clubsafe::agent::selftest
