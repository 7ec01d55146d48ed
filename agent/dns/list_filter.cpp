#include "agent/dns/list_filter.hpp"

namespace clubsafe::agent::dns {

ListFilter::ListFilter(std::vector<ListRule> rules) : rules_(std::move(rules)) {
  for (const auto& rule : rules_) byDomain_.emplace(rule.domain, &rule);
}

Verdict ListFilter::decide(std::string_view normalisedName, std::uint16_t) const noexcept {
  const ListRule* mostSpecific = nullptr;
  auto suffix = normalisedName;
  while (true) {
    if (const auto found = byDomain_.find(suffix); found != byDomain_.end()) {
      if (found->second->action == Verdict::Action::Allow) return Verdict::allow();
      if (mostSpecific == nullptr) mostSpecific = found->second;
    }
    const auto dot = suffix.find('.');
    if (dot == std::string_view::npos) break;
    suffix.remove_prefix(dot + 1);
  }
  if (mostSpecific == nullptr) return Verdict::allow();
  return {mostSpecific->action, mostSpecific->category, mostSpecific->rewriteTarget};
}

std::vector<ListRule> canaryRules() {
  std::vector<ListRule> rules;
  for (const char* canary : {"use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com"}) {
    rules.push_back({canary, Verdict::Action::NxDomain, 0, {}});
  }
  return rules;
}

}  // namespace clubsafe::agent::dns
