#pragma once

#include "agent/dns/filter_decision.hpp"
#include "common/policy.hpp"

#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

// Categories of illegal content, blocked whatever a profile or an allow entry says.
using common::kAlwaysBlockedCategories;

// Asks each filter in turn; the first verdict other than Allow is the answer. An Allow lets
// answers point inward if any filter's Allow did. The filters must outlive the chain.
class FilterChain final : public FilterDecision {
 public:
  explicit FilterChain(std::vector<const FilterDecision*> filters) : filters_(std::move(filters)) {}
  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  std::vector<const FilterDecision*> filters_;
};

}  // namespace clubsafe::agent::dns
