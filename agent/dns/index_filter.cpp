#include "agent/dns/index_filter.hpp"

namespace clubsafe::agent::dns {

namespace di = common::domain_index;

namespace {

// The lowest category of a set that has one.
Verdict blockFor(const di::CategorySet& categories) {
  return Verdict::block(static_cast<std::uint16_t>(categories._Find_first()));
}

}  // namespace

IndexFilter::IndexFilter(std::vector<std::string> blockedCategories)
    : blockedCategories_(std::move(blockedCategories)) {}

std::vector<std::string> IndexFilter::install(std::shared_ptr<const di::DomainIndex> index) {
  auto state = std::make_shared<State>();
  std::vector<std::string> unknown;
  for (const auto& name : blockedCategories_) {
    if (const auto id = index->findCategory(name)) {
      state->blocked.set(*id);
    } else {
      unknown.push_back(name);
    }
  }
  for (const auto name : kAlwaysBlockedCategories) {
    if (const auto id = index->findCategory(name)) state->alwaysBlocked.set(*id);
  }
  state->index = std::move(index);
  std::atomic_store(&state_, std::shared_ptr<const State>(std::move(state)));
  return unknown;
}

std::shared_ptr<const di::DomainIndex> IndexFilter::index() const {
  const auto state = std::atomic_load(&state_);
  return state ? state->index : nullptr;
}

Verdict IndexFilter::decide(std::string_view normalisedName, std::uint16_t) const noexcept {
  const auto state = std::atomic_load(&state_);
  if (!state) return Verdict::allow();
  const auto match = state->index->lookup(normalisedName);
  if (const auto illegal = (match.categories | match.overridden) & state->alwaysBlocked;
      illegal.any()) {
    return blockFor(illegal);
  }
  if (const auto blocked = match.categories & state->blocked; blocked.any()) {
    return blockFor(blocked);
  }
  return Verdict::allow();
}

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
