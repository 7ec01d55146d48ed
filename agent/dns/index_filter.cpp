#include "agent/dns/index_filter.hpp"

namespace clubsafe::agent::dns {

Verdict FilterChain::decide(std::string_view normalisedName, std::uint16_t qtype) const noexcept {
  auto allowed = Verdict::allow();
  for (const auto* filter : filters_) {
    const auto verdict = filter->decide(normalisedName, qtype);
    if (verdict.action != Verdict::Action::Allow) return verdict;
    allowed.localAnswersAllowed = allowed.localAnswersAllowed || verdict.localAnswersAllowed;
  }
  return allowed;
}

}  // namespace clubsafe::agent::dns
