#include "agent/dns/index_filter.hpp"

namespace clubsafe::agent::dns {

Verdict FilterChain::decide(std::string_view normalisedName, std::uint16_t qtype) const noexcept {
  for (const auto* filter : filters_) {
    if (const auto verdict = filter->decide(normalisedName, qtype);
        verdict.action != Verdict::Action::Allow) {
      return verdict;
    }
  }
  return Verdict::allow();
}

}  // namespace clubsafe::agent::dns
