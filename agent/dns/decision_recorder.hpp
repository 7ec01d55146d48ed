#pragma once

#include "agent/outbox/outbox.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/event.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clubsafe::agent::dns {

// What became of one question, as a dns_decision event names it.
enum class DecisionAction : std::uint8_t { Allowed, Blocked, Rewritten, NxDomain };

[[nodiscard]] std::string_view decisionActionName(DecisionAction action);

// Minutes since 1970-01-01 UTC.
using DecisionMinute = std::int64_t;

struct DecisionRecorderOptions {
  // The keys are spread over this many shards by their hash, so that two DNS workers rarely want
  // the same shard's lock at once.
  std::size_t shards = 16;
  // Distinct (domain, action, category) per minute for the whole laptop; decisions beyond it are
  // counted together under kOverflowDomain.
  std::size_t maxKeysPerMinute = 10000;
  // The index whose category ids the filter's Block verdicts carry (ProfileFilter::index); may
  // return null, and may be empty when no filter blocks by index category.
  std::function<std::shared_ptr<const common::domain_index::DomainIndex>()> indexInForce;
  // The clock minutes are read from; tests set it.
  std::function<common::Timestamp()> clock;
  // How often run() writes the counts so far to the outbox: at most this long's counts are lost
  // when the agent is killed.
  std::chrono::milliseconds flushInterval = std::chrono::seconds(10);
};

// Aggregates the DNS filter's decisions per (domain, action, category, minute) and writes one
// dns_decision event per aggregate into the outbox every flushInterval, and for everything left
// when run() ends (SPEC R2). Each write holds the counts since the previous one, so a minute may
// arrive in several partial events naming it; the collector adds them up per minute. Nothing is
// logged per query.
//
// record() is the packet path: a key is counted in the shard its hash picks, so each key is in
// one shard only and the cap counts each name once, whichever worker saw it. The cap itself is
// one atomic budget for the minute (no lock). A new key since the last flush allocates its node
// once; repeats only count.
class DecisionRecorder {
 public:
  static constexpr std::string_view kOverflowDomain = "(other names)";

  DecisionRecorder(outbox::Outbox& outbox, DecisionRecorderOptions options);
  DecisionRecorder(const DecisionRecorder&) = delete;
  DecisionRecorder& operator=(const DecisionRecorder&) = delete;

  [[nodiscard]] DecisionMinute currentMinute() const;
  [[nodiscard]] std::size_t shards() const { return shards_.size(); }
  [[nodiscard]] std::shared_ptr<const common::domain_index::DomainIndex> indexInForce() const;

  // Counts one decision. Never throws.
  void record(DecisionMinute minute, std::string_view domain, DecisionAction action,
              std::string_view category) noexcept;

  // Writes every count recorded since the last flush to the outbox, the current minute's too;
  // returns how many events were written.
  std::size_t flush();

  // Flushes every flushInterval until stop(), then once more. Stop the DNS proxy first, so that
  // its last decisions are in that final flush.
  void run();
  void stop();
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  struct Key {
    std::string domain;
    std::string category;
    DecisionMinute minute = 0;
    DecisionAction action = DecisionAction::Allowed;
  };
  struct KeyView {
    std::string_view domain;
    std::string_view category;
    DecisionMinute minute = 0;
    DecisionAction action = DecisionAction::Allowed;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(const KeyView& key) const noexcept;
    std::size_t operator()(const Key& key) const noexcept;
  };
  struct KeyEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.minute == b.minute && a.action == b.action && a.domain == b.domain &&
             a.category == b.category;
    }
  };
  using Counts = std::unordered_map<Key, std::uint64_t, KeyHash, KeyEqual>;

  // Own cache line each, so workers counting in different shards do not slow one another.
  struct alignas(64) Shard {
    std::mutex mutex;
    Counts counts;
  };

  // Takes one new key's room in the minute's budget; false when the minute has used it all.
  bool takeRoom(DecisionMinute minute) noexcept;
  void write(const Counts& counts);

  outbox::Outbox& outbox_;
  DecisionRecorderOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  // The minute whose new keys are being counted (high 32 bits) and how many it has had (low 32
  // bits), in one word so that a new minute and its first key are taken together. Not reset by
  // a flush, so each flush's keys count to the cap.
  std::atomic<std::uint64_t> budget_{0};
  // Keys held in the shards until the next flush: bounded even when no flusher runs.
  std::atomic<std::size_t> held_{0};
  DecisionMinute lastWarnedMinute_ = 0;  // only the flusher reads and writes it

  std::mutex runMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::dns
