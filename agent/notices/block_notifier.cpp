#include "agent/notices/block_notifier.hpp"

#include "agent/notices/category_words.hpp"

#include <algorithm>
#include <cstring>
#include <set>

namespace clubsafe::agent::notices {
namespace {

static_assert((BlockNotifier::kCapacity & (BlockNotifier::kCapacity - 1)) == 0);

// Index swaps are rare; one that keeps coming back leaves the category nameless.
constexpr int kDecideAttempts = 4;

}  // namespace

std::string_view siteOf(std::string_view normalisedName) {
  constexpr std::string_view kWww = "www.";
  return normalisedName.starts_with(kWww) && normalisedName.size() > kWww.size()
             ? normalisedName.substr(kWww.size())
             : normalisedName;
}

std::optional<BlockReason> whyBlocked(const dns::FilterDecision& filter,
                                      const IndexInForce& indexInForce,
                                      std::string_view normalisedName, std::uint16_t qtype) {
  std::string category;
  for (int attempt = 0; attempt < kDecideAttempts; ++attempt) {
    const auto pinned = indexInForce ? indexInForce() : nullptr;
    const auto verdict = filter.decide(normalisedName, qtype);
    if (verdict.action != dns::Verdict::Action::Block) return std::nullopt;
    if (verdict.reason != dns::Verdict::Reason::Category) {
      category = dns::reasonCategoryName(verdict.reason);
      break;
    }
    if ((indexInForce ? indexInForce() : nullptr) != pinned) continue;
    if (pinned && verdict.category < pinned->categories().size()) {
      category = pinned->categories()[verdict.category];
    }
    break;
  }
  const auto words = categoryWords(category);
  return BlockReason{std::move(category), std::string(words)};
}

BlockNotifier::BlockNotifier(const dns::FilterDecision& filter, IndexInForce indexInForce,
                             BlockNotifierOptions options)
    : filter_(filter), indexInForce_(std::move(indexInForce)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
  for (std::size_t i = 0; i < kCapacity; ++i) {
    slots_[i].sequence.store(i, std::memory_order_relaxed);
  }
}

dns::Verdict BlockNotifier::decide(std::string_view normalisedName,
                                   std::uint16_t qtype) const noexcept {
  const auto verdict = filter_.decide(normalisedName, qtype);
  if (verdict.action == dns::Verdict::Action::Block &&
      (qtype == dns::rrtype::kA || qtype == dns::rrtype::kAaaa)) {
    note(normalisedName, qtype);
  }
  return verdict;
}

// A slot whose sequence equals the position is free for that position's writer; the writer
// sets it to position + 1 when the name is in, and drain() to position + kCapacity when it has
// read it, freeing it for the next lap.
void BlockNotifier::note(std::string_view name, std::uint16_t qtype) const noexcept {
  if (name.empty() || name.size() > common::domain_index::kMaxNameLength) return;
  auto position = tail_.load(std::memory_order_relaxed);
  Slot* slot = nullptr;
  for (;;) {
    slot = &slots_[position & (kCapacity - 1)];
    const auto sequence = slot->sequence.load(std::memory_order_acquire);
    const auto lead = static_cast<std::ptrdiff_t>(sequence - position);
    if (lead == 0) {
      if (tail_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) break;
    } else if (lead < 0) {
      dropped_.fetch_add(1, std::memory_order_relaxed);  // full: drain() is behind
      return;
    } else {
      position = tail_.load(std::memory_order_relaxed);
    }
  }
  std::memcpy(slot->name.data(), name.data(), name.size());
  slot->length = static_cast<std::uint8_t>(name.size());
  slot->qtype = qtype;
  slot->sequence.store(position + 1, std::memory_order_release);
}

std::vector<BlockNotifier::Noted> BlockNotifier::takeNoted() {
  std::vector<Noted> noted;
  for (;;) {
    auto& slot = slots_[head_ & (kCapacity - 1)];
    if (slot.sequence.load(std::memory_order_acquire) != head_ + 1) break;  // none written yet
    noted.push_back({std::string(slot.name.data(), slot.length), slot.qtype});
    slot.sequence.store(head_ + kCapacity, std::memory_order_release);
    ++head_;
  }
  return noted;
}

void BlockNotifier::discard() {
  const std::lock_guard lock(drainMutex_);
  (void)takeNoted();
}

std::vector<BlockedSite> BlockNotifier::drain() {
  const std::lock_guard lock(drainMutex_);
  const auto noted = takeNoted();

  const auto now = options_.clock();
  std::erase_if(told_, [&](const auto& entry) { return now - entry.second >= options_.perSite; });
  std::erase_if(hushed_, [&](const auto& entry) { return now >= entry.second; });
  std::vector<BlockedSite> due;
  std::set<std::string, std::less<>> seen;  // a page load asks for A and AAAA, often twice
  for (const auto& [name, qtype] : noted) {
    if (hushed_.contains(name)) continue;
    const auto site = siteOf(name);
    if (told_.contains(site) || !seen.emplace(site).second) continue;
    if (lastTold_ && now - *lastTold_ < options_.overall) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    auto reason = whyBlocked(filter_, indexInForce_, name, qtype);
    if (!reason) continue;  // unblocked since: an override or a new policy
    due.push_back({std::string(site), std::move(reason->category), std::move(reason->words)});
    told_.emplace(site, now);
    lastTold_ = now;
  }
  return due;
}

void BlockNotifier::hush(const std::vector<std::string>& names,
                         std::chrono::steady_clock::duration forHowLong) {
  const std::lock_guard lock(drainMutex_);
  const auto until = options_.clock() + forHowLong;
  for (const auto& name : names) hushed_[name] = until;
}

}  // namespace clubsafe::agent::notices
