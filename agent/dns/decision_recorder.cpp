#include "agent/dns/decision_recorder.hpp"

#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <new>
#include <tuple>

namespace clubsafe::agent::dns {
namespace {

// The shards hold the keys since the last flush, which may span the end of a minute; beyond twice
// the cap something is wrong (no flusher), and new keys go to the overflow aggregate so memory
// stays bounded all the same.
constexpr std::size_t kMinutesHeld = 2;

// The budget word's low half counts keys, so the cap can be no higher.
constexpr std::uint64_t kLowHalf = 0xffffffffULL;

common::Timestamp minuteStart(DecisionMinute minute) {
  return common::Timestamp(std::chrono::minutes(minute));
}

}  // namespace

std::string_view decisionActionName(DecisionAction action) {
  switch (action) {
    case DecisionAction::Allowed:
      return "allowed";
    case DecisionAction::Blocked:
      return "blocked";
    case DecisionAction::Rewritten:
      return "rewritten";
    case DecisionAction::NxDomain:
      return "nxdomain";
  }
  return "allowed";
}

std::size_t DecisionRecorder::KeyHash::operator()(const KeyView& key) const noexcept {
  const std::hash<std::string_view> text;
  std::size_t hash = text(key.domain);
  hash ^= text(key.category) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  hash ^= static_cast<std::size_t>(key.minute) * 31 + static_cast<std::size_t>(key.action);
  return hash;
}

std::size_t DecisionRecorder::KeyHash::operator()(const Key& key) const noexcept {
  return (*this)(KeyView{key.domain, key.category, key.minute, key.action});
}

DecisionRecorder::DecisionRecorder(outbox::Outbox& outbox, DecisionRecorderOptions options)
    : outbox_(outbox), options_(std::move(options)) {
  if (!options_.clock) options_.clock = common::nowUtc;
  options_.maxKeysPerMinute = std::clamp<std::size_t>(options_.maxKeysPerMinute, 1, kLowHalf);
  const auto shards = std::max<std::size_t>(options_.shards, 1);
  for (std::size_t i = 0; i < shards; ++i) {
    auto shard = std::make_unique<Shard>();
    shard->counts.reserve(options_.maxKeysPerMinute * kMinutesHeld / shards + 1);
    shards_.push_back(std::move(shard));
  }
}

DecisionMinute DecisionRecorder::currentMinute() const {
  return std::chrono::floor<std::chrono::minutes>(options_.clock()).time_since_epoch().count();
}

std::shared_ptr<const common::domain_index::DomainIndex> DecisionRecorder::indexInForce() const {
  return options_.indexInForce ? options_.indexInForce() : nullptr;
}

bool DecisionRecorder::takeRoom(DecisionMinute minute) noexcept {
  auto budget = budget_.load(std::memory_order_relaxed);
  for (;;) {
    const auto counting = static_cast<DecisionMinute>(budget >> 32);
    // A late worker's key of an earlier minute counts to the minute being counted.
    const std::uint64_t used = minute > counting ? 0 : budget & kLowHalf;
    if (used >= options_.maxKeysPerMinute) return false;
    const auto next = (static_cast<std::uint64_t>(std::max(minute, counting)) << 32) | (used + 1);
    if (budget_.compare_exchange_weak(budget, next, std::memory_order_relaxed)) return true;
  }
}

void DecisionRecorder::record(DecisionMinute minute, std::string_view domain, DecisionAction action,
                              std::string_view category) noexcept {
  const KeyView key{domain, category, minute, action};
  auto& shard = *shards_[KeyHash{}(key) % shards_.size()];
  const std::lock_guard lock(shard.mutex);
  if (const auto found = shard.counts.find(key); found != shard.counts.end()) {
    ++found->second;
    return;
  }
  const bool room =
      held_.load(std::memory_order_relaxed) < options_.maxKeysPerMinute * kMinutesHeld &&
      takeRoom(minute);
  try {
    if (room) {
      shard.counts.emplace(Key{std::string(domain), std::string(category), minute, action}, 1);
      held_.fetch_add(1, std::memory_order_relaxed);
    } else {
      const auto [overflow, added] =
          shard.counts.try_emplace(Key{std::string(kOverflowDomain), {}, minute, action}, 0);
      ++overflow->second;
      if (added) held_.fetch_add(1, std::memory_order_relaxed);
    }
  } catch (const std::bad_alloc&) {
    // Out of memory: this one decision goes uncounted rather than the DNS answer failing.
  }
}

std::size_t DecisionRecorder::flush() {
  Counts taken;
  for (const auto& shard : shards_) {
    const std::lock_guard lock(shard->mutex);
    held_.fetch_sub(shard->counts.size(), std::memory_order_relaxed);
    for (auto it = shard->counts.begin(); it != shard->counts.end();) {
      auto node = shard->counts.extract(it++);
      const auto count = node.mapped();
      if (const auto inserted = taken.insert(std::move(node)); !inserted.inserted) {
        inserted.position->second += count;  // the same key from another worker
      }
    }
  }
  write(taken);
  return taken.size();
}

void DecisionRecorder::write(const Counts& counts) {
  // Oldest minute first, then by name, so that the outbox reads like a log.
  std::vector<const Counts::value_type*> order;
  order.reserve(counts.size());
  std::map<DecisionMinute, std::uint64_t> overflow;
  for (const auto& entry : counts) {
    order.push_back(&entry);
    if (entry.first.domain == kOverflowDomain) overflow[entry.first.minute] += entry.second;
  }
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::tie(a->first.minute, a->first.domain, a->first.action, a->first.category) <
           std::tie(b->first.minute, b->first.domain, b->first.action, b->first.category);
  });
  for (const auto& [minute, decisions] : overflow) {
    // Once per minute, although the minute's overflow may be written in several flushes.
    if (minute <= lastWarnedMinute_) continue;
    lastWarnedMinute_ = minute;
    spdlog::warn(
        "In the minute from {} the DNS filter of this laptop saw more than {} different names; "
        "{} decisions beyond that so far are recorded together as \"{}\". A program looking up "
        "many random "
        "names (often unwanted software) does this: if it keeps happening, check this laptop.",
        common::formatTimestamp(minuteStart(minute)), options_.maxKeysPerMinute, decisions,
        kOverflowDomain);
  }

  std::size_t lost = 0;
  std::string lastError;
  const auto recorded = options_.clock();
  for (const auto* entry : order) {
    common::Event event;
    event.type = common::EventType::DnsDecision;
    event.time = recorded;
    event.payload->set("domain", entry->first.domain);
    event.payload->set("action", std::string(decisionActionName(entry->first.action)));
    if (!entry->first.category.empty()) event.payload->set("category", entry->first.category);
    event.payload->set("minute", common::formatTimestamp(minuteStart(entry->first.minute)));
    event.payload->set("count", static_cast<Poco::Int64>(entry->second));
    if (const auto saved = outbox_.append(event); !saved.ok()) {
      ++lost;
      lastError = saved.message();
    }
  }
  if (lost > 0) {
    spdlog::error("{} DNS decision events could not be saved and are lost: {}", lost, lastError);
  }
}

void DecisionRecorder::run() {
  std::unique_lock lock(runMutex_);
  while (!stopping_) {
    if (runtime::waitBeating(wake_, lock, options_.flushInterval, heartbeat_,
                             [this] { return stopping_; })) {
      break;
    }
    lock.unlock();
    (void)flush();
    lock.lock();
  }
  lock.unlock();
  (void)flush();
}

void DecisionRecorder::stop() {
  {
    const std::lock_guard lock(runMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::dns
