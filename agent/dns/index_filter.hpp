#pragma once

#include "agent/dns/filter_decision.hpp"
#include "common/domain_index/domain_index.hpp"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

// Categories of illegal content: blocked for every profile, and an allow entry on the name or a
// parent does not unblock them. These are the names a club gives the lists it imports from the
// IWF (child sexual abuse material) and from the police's terrorism list (CTIRU). UT1 has no
// equivalent of either: its nearest, `dangerous_material` and `agressif`, are ordinary
// categories that a profile chooses to block.
inline constexpr std::array<std::string_view, 2> kAlwaysBlockedCategories{"iwf", "terrorism"};

// The compiled domain index as a FilterDecision: a name in an always-blocked category is
// blocked whatever else matched, an allow entry allows, a name in a blocked category is blocked,
// anything else is allowed. Category ids differ from one index file to the next, so the names
// are resolved against each index as it is installed, and the index and its ids are swapped in
// together.
class IndexFilter final : public FilterDecision {
 public:
  explicit IndexFilter(std::vector<std::string> blockedCategories);

  // Puts `index` in force; queries already running finish on the old one. Returns the blocked
  // category names the index does not have (a typo, or a list the club has not imported).
  std::vector<std::string> install(std::shared_ptr<const common::domain_index::DomainIndex> index);
  // The index in force, or none.
  [[nodiscard]] std::shared_ptr<const common::domain_index::DomainIndex> index() const;

  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  struct State {
    std::shared_ptr<const common::domain_index::DomainIndex> index;
    common::domain_index::CategorySet blocked;
    common::domain_index::CategorySet alwaysBlocked;
  };

  std::vector<std::string> blockedCategories_;
  // Read and replaced with the atomic free functions (see DomainIndexHolder for why).
  std::shared_ptr<const State> state_;
};

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
