#pragma once

#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/safe_search.hpp"
#include "agent/sources/source.hpp"
#include "common/domain_index/domain_index.hpp"

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::selftest {

// A name the filter must block because the index lists it in `category`. The compiled index
// keeps names only as hashes, so it cannot offer one itself: test names come with the policy
// (the collector has the lists) or the agent's settings.
struct TestName {
  std::string category;
  std::string name;
};

// Test names from a setting such as "gambling=casino.example, malware=virus.example": category
// names and domains (lower case, no trailing dot). nullopt when an entry is not category=domain.
[[nodiscard]] std::optional<std::vector<TestName>> parseTestNames(std::string_view text);

// What the filter in force promises, as far as the self-test checks it. The agent fills it from
// the profile in force, or from the filter.* and dns.* settings before any policy has arrived.
struct FilterExpectations {
  dns::BlockAnswer blockAnswer = dns::BlockAnswer::Address;
  dns::BlockAddresses blockAddresses;
  std::vector<std::string> blockedCategories;
  std::vector<TestName> testNames;  // for some or all of blockedCategories
  dns::SafeSearchLevel safeSearch = dns::SafeSearchLevel::Off;
  std::shared_ptr<const common::domain_index::DomainIndex> index;  // in force; may be null
};

struct SelfTestResult {
  [[nodiscard]] bool passed() const { return failures.empty(); }
  std::vector<std::string> failures;  // short sentences, one per failed check
};

// Names whose safe-search rewrite the self-test checks, and the canary that must get NXDOMAIN.
inline constexpr std::array<std::string_view, 2> kSafeSearchTestNames{"www.google.com",
                                                                      "www.youtube.com"};
inline constexpr std::string_view kCanaryTestName = "use-application-dns.net";

// Asks the running DNS filter, over UDP like any program on the laptop, what it answers for:
// one test name per blocked category (the block answer), the safe-search names when safe search
// is on (a CNAME to the engine's safe host), and the Firefox canary (NXDOMAIN). SPEC C12.
class FilterSelfTest {
 public:
  FilterSelfTest(dns::Endpoint filter, std::chrono::milliseconds timeout)
      : filter_(filter), timeout_(timeout) {}

  [[nodiscard]] SelfTestResult run(const FilterExpectations& expected) const;

 private:
  dns::Endpoint filter_;
  std::chrono::milliseconds timeout_;
};

// The self-test as a recording source: each poll runs it against what `expectations` returns
// then and records one filter_self_test event (passed, failures). The scheduler polls it once at
// start and then every `interval` (setting selftest.interval).
class SelfTestSource final : public sources::Source {
 public:
  SelfTestSource(FilterSelfTest test, std::function<FilterExpectations()> expectations,
                 std::chrono::milliseconds interval)
      : test_(test), expectations_(std::move(expectations)), interval_(interval) {}

  [[nodiscard]] std::string_view name() const override { return "filter self-test"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  FilterSelfTest test_;
  std::function<FilterExpectations()> expectations_;
  std::chrono::milliseconds interval_;
};

}  // namespace clubsafe::agent::selftest
