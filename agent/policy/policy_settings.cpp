#include "agent/policy/policy_settings.hpp"

#include <array>

namespace clubsafe::agent::policy {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 7> kPolicySettings{{
    {"policy.refresh_interval", SettingType::Seconds, "60",
     "Seconds between asks for the collector's filtering policy (profiles, lists, opening "
     "hours); the policy and its domain index are cached and enforced offline too."},
    {"selftest.interval", SettingType::Seconds, "3600",
     "Seconds between the DNS filter's self-tests (one also runs at start): a test name per "
     "blocked category must be blocked, safe search rewritten and the DoH canary answered "
     "NXDOMAIN; each result is a filter_self_test event."},
    {"selftest.test_names", SettingType::Text, "",
     "Test names for the self-test, such as gambling=casino.example, malware=virus.example; they "
     "win over the test names the collector's policy gives."},
    {"filter.index_file", SettingType::Text, "",
     "Built-in profile only (until the collector's first policy arrives): a compiled domain "
     "index (clubsafe-index compile) to block categories from; replace it by renaming a new "
     "file over it. Empty: none. A policy brings its own index."},
    {"filter.blocked_categories", SettingType::Text, "",
     "Built-in profile only (until the collector's first policy arrives): categories of "
     "filter.index_file to block, separated by commas (such as gambling, malware). "
     "Illegal-content categories (iwf, terrorism) are always blocked, whatever the policy."},
    {"filter.reload_interval", SettingType::Seconds, "30",
     "Seconds (at least 1) between looks at filter.index_file for a new index, swapped in while "
     "queries flow."},
    {"filter.safe_search", SettingType::Text, "strict",
     "Built-in profile only (until the collector's first policy arrives; then each profile "
     "says): safe search forced in DNS for Google, YouTube, Bing, DuckDuckGo and Brave: strict, "
     "moderate (YouTube's moderate restricted mode; the others have one level) or off."},
}};

}  // namespace

std::span<const common::SettingSpec> policySettings() {
  return kPolicySettings;
}

}  // namespace clubsafe::agent::policy
