#pragma once

#include "agent/dns/filter_decision.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

// Categories of illegal content: blocked for every profile, and an allow entry on the name or a
// parent does not unblock them. These are the names a club gives the lists it imports from the
// IWF (child sexual abuse material) and from the police's terrorism list (CTIRU). UT1 has no
// equivalent of either: its nearest, `dangerous_material` and `agressif`, are ordinary
// categories that a profile chooses to block.
inline constexpr std::array<std::string_view, 2> kAlwaysBlockedCategories{"iwf", "terrorism"};

// Asks each filter in turn; the first verdict other than Allow is the answer. The filters must
// outlive the chain.
class FilterChain final : public FilterDecision {
 public:
  explicit FilterChain(std::vector<const FilterDecision*> filters) : filters_(std::move(filters)) {}
  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  std::vector<const FilterDecision*> filters_;
};

}  // namespace clubsafe::agent::dns
