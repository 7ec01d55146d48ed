#pragma once

#include "agent/dns/filter_decision.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace clubsafe::agent::dns {

// One rule of a ListFilter: the domain it covers (and all its subdomains) and what to do.
struct ListRule {
  std::string domain;  // normalised: lower case, no trailing dot
  Verdict::Action action = Verdict::Action::Block;
  std::uint16_t category = 0;
  std::string rewriteTarget;
};

// A small in-memory filter from a list of rules, for tests and for the built-in rules until the
// compiled domain index takes over. The most specific rule wins, except that an Allow on the
// name or any parent beats everything else. Immutable once built.
class ListFilter final : public FilterDecision {
 public:
  explicit ListFilter(std::vector<ListRule> rules);
  ListFilter(const ListFilter&) = delete;  // byDomain_ points into rules_
  ListFilter& operator=(const ListFilter&) = delete;
  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  std::vector<ListRule> rules_;
  std::unordered_map<std::string_view, const ListRule*> byDomain_;  // views into rules_
};

// The rules every profile gets: browser canaries that must see NXDOMAIN so that browsers keep
// their own DNS-over-HTTPS off (Firefox) or their relay off (Apple's iCloud Private Relay).
[[nodiscard]] std::vector<ListRule> canaryRules();

}  // namespace clubsafe::agent::dns
