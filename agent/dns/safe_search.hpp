#pragma once

#include "agent/dns/filter_decision.hpp"
#include "common/policy.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace clubsafe::agent::dns {

// A profile's safe_search and filter.safe_search share the policy's level and its names.
using common::parseSafeSearchLevel;
using common::SafeSearchLevel;

// A search engine's own safe-search hosts: every name of `hosts` is answered as a CNAME of one
// of them. Engines publish these so that networks can force safe search in DNS.
struct SafeSearchEngine {
  std::span<const std::string_view> hosts;  // exact names; Google's are matched by pattern
  std::string_view strictTarget;
  std::string_view moderateTarget;
};

// The engine table, the one place the hosts and targets are written.
[[nodiscard]] std::span<const SafeSearchEngine> safeSearchEngines();

// Whether `name` is one of Google's search front pages: google.TLD or www.google.TLD with TLD
// one of the forms Google's country sites use (com, a country code XX, com.XX, co.XX), so that
// google.com.evil.net, notgoogle.com and mail.google.com are not.
[[nodiscard]] bool isGoogleSearchName(std::string_view normalisedName) noexcept;

// The safe-search target for `normalisedName` at `level`; empty when there is none.
[[nodiscard]] std::string_view safeSearchTarget(std::string_view normalisedName,
                                                SafeSearchLevel level) noexcept;

// Rewrites search engines to their safe-search hosts at a fixed level.
class SafeSearchFilter final : public FilterDecision {
 public:
  explicit SafeSearchFilter(SafeSearchLevel level) : level_(level) {}
  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  SafeSearchLevel level_;
};

}  // namespace clubsafe::agent::dns
