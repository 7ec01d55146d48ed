#include "agent/dns/profile_filter.hpp"

#include "agent/dns/index_filter.hpp"

#include <algorithm>
#include <ctime>

namespace clubsafe::agent::dns {

namespace di = common::domain_index;

namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;
// 1970-01-01 was a Thursday: day 3 counting Monday as 0.
constexpr std::int64_t kEpochWeekday = 3;

// The lowest category of a set that has one.
Verdict blockFor(const di::CategorySet& categories) {
  return Verdict::block(static_cast<std::uint16_t>(categories._Find_first()));
}

std::int64_t floorDivide(std::int64_t value, std::int64_t divisor) {
  return value / divisor - (value % divisor < 0 ? 1 : 0);
}

}  // namespace

LocalTime SystemLocalClock::now() const noexcept {
  timespec clock{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &clock);
  const std::int64_t utc = clock.tv_sec;
  const auto minute = static_cast<std::uint64_t>(utc / 60);
  auto word = offset_.load(std::memory_order_acquire);
  if (word >> 32 != minute) {
    // Offsets change (summer time) only on whole minutes, so one reading serves the minute.
    const std::time_t seconds = utc;
    std::tm local{};
    const long offset = ::localtime_r(&seconds, &local) != nullptr ? local.tm_gmtoff : 0;
    word = (minute << 32) | static_cast<std::uint32_t>(static_cast<std::int32_t>(offset));
    offset_.store(word, std::memory_order_release);
  }
  const auto local = utc + static_cast<std::int32_t>(static_cast<std::uint32_t>(word));
  const auto day = floorDivide(local, kSecondsPerDay);
  return {static_cast<int>(((day + kEpochWeekday) % 7 + 7) % 7),
          static_cast<int>((local - day * kSecondsPerDay) / 60)};
}

std::int64_t LocalClock::unixSeconds() const noexcept {
  timespec clock{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &clock);
  return clock.tv_sec;
}

bool isOpen(const std::vector<common::OpeningHours>& schedule, LocalTime time) noexcept {
  if (schedule.empty()) return true;
  return std::any_of(schedule.begin(), schedule.end(), [time](const common::OpeningHours& hours) {
    return hours.days.test(static_cast<std::size_t>(time.weekday)) &&
           hours.fromMinute <= time.minute && time.minute < hours.toMinute;
  });
}

DomainLists::DomainLists(const std::vector<std::string>& allow,
                         const std::vector<std::string>& block) {
  std::size_t size = 2;
  while (size < 2 * (allow.size() + block.size())) size *= 2;
  slots_.resize(size);
  for (const auto& domain : allow) add(domain, kAllow);
  for (const auto& domain : block) add(domain, kBlock);
}

void DomainLists::add(const std::string& domain, std::uint8_t list) {
  const auto hash = std::hash<std::string_view>{}(domain);
  const auto mask = slots_.size() - 1;
  for (auto i = hash & mask;; i = (i + 1) & mask) {
    auto& slot = slots_[i];
    if (slot.entry == 0) {
      domains_.push_back(domain);
      lists_.push_back(list);
      slot = {hash, static_cast<std::uint32_t>(domains_.size())};
      return;
    }
    if (slot.hash == hash && domains_[slot.entry - 1] == domain) {
      lists_[slot.entry - 1] |= list;
      return;
    }
  }
}

DomainLists::Match DomainLists::match(std::string_view name) const noexcept {
  if (domains_.empty()) return {};
  const auto mask = slots_.size() - 1;
  std::uint8_t found = 0;
  while (true) {
    const auto hash = std::hash<std::string_view>{}(name);
    for (auto i = hash & mask; slots_[i].entry != 0; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && domains_[slots_[i].entry - 1] == name) {
        found |= lists_[slots_[i].entry - 1];
        break;
      }
    }
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return {(found & kAllow) != 0, (found & kBlock) != 0};
}

CompiledPolicy::CompiledPolicy(common::Policy policy, std::shared_ptr<const di::DomainIndex> index)
    : policy_(std::move(policy)), index_(std::move(index)) {}

std::shared_ptr<const CompiledPolicy> CompiledPolicy::compile(
    common::Policy policy, std::shared_ptr<const di::DomainIndex> index,
    std::vector<std::string>* unknownCategories) {
  // Not make_shared: the constructor is private.
  std::shared_ptr<CompiledPolicy> compiled(new CompiledPolicy(std::move(policy), std::move(index)));
  if (compiled->index_) {
    for (const auto name : kAlwaysBlockedCategories) {
      if (const auto id = compiled->index_->findCategory(name)) compiled->alwaysBlocked_.set(*id);
    }
  }
  compiled->profiles_.reserve(compiled->policy_.profiles.size());
  for (const auto& profile : compiled->policy_.profiles) {
    CompiledProfile entry{&profile, {}, DomainLists(profile.allow, profile.block)};
    for (const auto& name : profile.blockedCategories) {
      const auto id = compiled->index_ ? compiled->index_->findCategory(name) : std::nullopt;
      if (id) {
        entry.blocked.set(*id);
      } else if (compiled->index_ && unknownCategories != nullptr) {
        unknownCategories->push_back(profile.id + ": " + name);
      }
    }
    compiled->profiles_.push_back(std::move(entry));
  }
  return compiled;
}

const CompiledProfile* CompiledPolicy::find(std::string_view id) const {
  const auto found =
      std::find_if(profiles_.begin(), profiles_.end(),
                   [id](const CompiledProfile& entry) { return entry.profile->id == id; });
  return found == profiles_.end() ? nullptr : &*found;
}

common::Policy builtInPolicy(std::vector<std::string> blockedCategories,
                             SafeSearchLevel safeSearch) {
  common::Profile profile;
  profile.id = kBuiltInProfileId;
  profile.name = "Built-in (filter.* settings)";
  profile.blockedCategories = std::move(blockedCategories);
  profile.safeSearch = safeSearch;
  common::Policy policy;
  policy.defaultProfile = profile.id;
  policy.profiles.push_back(std::move(profile));
  return policy;
}

ProfileFilter::ProfileFilter(const LocalClock& clock, std::string_view collectorHost)
    : clock_(clock) {
  // Queries arrive normalised; an address (no name to look up) leaves nothing to match.
  if (const auto host = di::NormalisedName::from(collectorHost); host.ok()) {
    collectorHost_ = host.view();
  }
}

void ProfileFilter::install(std::shared_ptr<const CompiledPolicy> policy,
                            std::string_view profileId) {
  auto state = std::make_shared<State>();
  state->profile = policy->find(profileId);
  if (state->profile == nullptr) state->profile = policy->find(policy->policy().defaultProfile);
  state->policy = std::move(policy);
  const std::lock_guard lock(writeMutex_);
  publish(std::move(state));
}

void ProfileFilter::setUnlocks(const std::vector<Unlock>& unlocks) {
  const std::lock_guard lock(writeMutex_);
  unlocks_ = unlocks;
  auto state = std::make_shared<State>();
  if (const auto current = std::atomic_load(&state_)) {
    state->policy = current->policy;
    state->profile = current->profile;
  }
  publish(std::move(state));
}

void ProfileFilter::publish(std::shared_ptr<State> state) {
  const auto* index = state->policy ? state->policy->index().get() : nullptr;
  for (const auto& unlock : unlocks_) {
    if (unlock.scope == Unlock::Scope::Domain) {
      state->unlocks.domains.push_back({unlock.target, unlock.until});
    } else if (const auto id =
                   index != nullptr ? index->findCategory(unlock.target) : std::nullopt) {
      state->unlocks.categories.push_back({*id, unlock.until});
    }
  }
  std::atomic_store(&state_, std::shared_ptr<const State>(std::move(state)));
}

bool ProfileFilter::CompiledUnlocks::covers(std::string_view name,
                                            std::int64_t now) const noexcept {
  return std::any_of(domains.begin(), domains.end(), [name, now](const Domain& domain) {
    return now < domain.until && name.ends_with(domain.name) &&
           (name.size() == domain.name.size() || name[name.size() - domain.name.size() - 1] == '.');
  });
}

di::CategorySet ProfileFilter::CompiledUnlocks::categoriesAt(std::int64_t now) const noexcept {
  di::CategorySet unlocked;
  for (const auto& category : categories) {
    if (now < category.until) unlocked.set(category.id);
  }
  return unlocked;
}

ProfileFilter::InForce ProfileFilter::inForce() const {
  const auto state = std::atomic_load(&state_);
  if (!state) return {};
  return {state->policy, state->profile};
}

std::shared_ptr<const di::DomainIndex> ProfileFilter::index() const {
  const auto state = std::atomic_load(&state_);
  return state && state->policy ? state->policy->index() : nullptr;
}

Verdict ProfileFilter::decide(std::string_view name, std::uint16_t) const noexcept {
  const bool collector = !collectorHost_.empty() && name == collectorHost_;
  const auto state = std::atomic_load(&state_);
  if (!state || state->profile == nullptr) {
    return collector ? Verdict::allowLocal() : Verdict::allow();
  }
  const auto& policy = *state->policy;
  const auto& profile = *state->profile;
  const auto match = policy.index() ? policy.index()->lookup(name) : di::Match{};
  if (const auto illegal = (match.categories | match.overridden) & policy.alwaysBlocked();
      illegal.any()) {
    return blockFor(illegal);
  }
  if (collector) return Verdict::allowLocal();
  const auto& unlocks = state->unlocks;
  const bool anyUnlocks = !unlocks.domains.empty() || !unlocks.categories.empty();
  const auto now = anyUnlocks ? clock_.unixSeconds() : 0;
  // An unlocked name counts as on the allow list, and beats the block list too.
  const bool unlocked = !unlocks.domains.empty() && unlocks.covers(name, now);
  const auto listed = profile.lists.match(name);
  const auto& schedule = profile.profile->schedule;
  if (!listed.allowed && !unlocked && !schedule.empty() && !isOpen(schedule, clock_.now())) {
    return Verdict::closed();
  }
  if (listed.blocked && !unlocked) return Verdict::blockListed();
  if (!listed.allowed && !unlocked) {
    auto blocked = match.categories & profile.blocked;
    if (blocked.any() && !unlocks.categories.empty()) blocked &= ~unlocks.categoriesAt(now);
    if (blocked.any()) return blockFor(blocked);
  }
  const auto target = safeSearchTarget(name, profile.profile->safeSearch);
  auto verdict = target.empty() ? Verdict::allow() : Verdict::rewrite(target);
  verdict.localAnswersAllowed = listed.allowed;
  return verdict;
}

}  // namespace clubsafe::agent::dns
