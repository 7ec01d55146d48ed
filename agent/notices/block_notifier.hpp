#pragma once

#include "agent/dns/filter_decision.hpp"
#include "agent/dns/wire.hpp"
#include "common/domain_index/domain_index.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::notices {

// The index whose category ids the filter's Block verdicts carry (dns::ProfileFilter::index);
// may return null.
using IndexInForce = std::function<std::shared_ptr<const common::domain_index::DomainIndex>()>;

// Why a name is blocked, as the notification and the block page say it.
struct BlockReason {
  std::string category;  // the index's name, "closed" or "block_list"; empty if nameless
  std::string words;     // categoryWords(category)
};

// The site a name belongs to, as notifications and review requests name it: without a leading
// "www.".
[[nodiscard]] std::string_view siteOf(std::string_view normalisedName);

// Asks `filter` about `normalisedName` now; nullopt when it is not blocked. The category id is
// named by the index that was in force across the decision: if another was swapped in meanwhile
// the question is asked again, as the DNS proxy does for its decision events.
[[nodiscard]] std::optional<BlockReason> whyBlocked(const dns::FilterDecision& filter,
                                                    const IndexInForce& indexInForce,
                                                    std::string_view normalisedName,
                                                    std::uint16_t qtype = dns::rrtype::kA);

// One notification for the notice program: the three strings of a "blocked" message
// (common::notice::MessageType::Blocked).
struct BlockedSite {
  std::string domain;    // the site: the name asked for without a leading "www."
  std::string category;  // as BlockReason::category
  std::string reason;    // the category in plain words
  friend bool operator==(const BlockedSite&, const BlockedSite&) = default;
};

struct BlockNotifierOptions {
  // A site blocked again within this time is not told again.
  std::chrono::steady_clock::duration perSite = std::chrono::minutes(10);
  // At most one notification in this time, whatever the site; the others are dropped.
  std::chrono::steady_clock::duration overall = std::chrono::seconds(20);
  // Where drain() reads the time; tests set it.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

// Wraps the filter chain the DNS proxy asks, and notes each name it blocks for an A or AAAA
// question, so that the person at the laptop can be told (SPEC N3). decide() is the packet path:
// it copies the name into a fixed ring of kCapacity slots (a bounded lock-free queue, Vyukov's)
// and never allocates, blocks, logs or throws; a full ring drops the name, counted.
//
// drain(), from one background thread, takes what was noted since the last call and returns
// the notifications due: one per site per `perSite`, at most one per `overall` (what is over
// that limit is dropped and counted, not saved for later: a notification about a site visited
// a while ago would confuse). Each is decided again at drain time, so a site unblocked meanwhile
// (a worker's override, a new policy) is not told, and its category is named by the index now
// in force.
class BlockNotifier final : public dns::FilterDecision {
 public:
  static constexpr std::size_t kCapacity = 64;  // a power of two

  BlockNotifier(const dns::FilterDecision& filter, IndexInForce indexInForce,
                BlockNotifierOptions options = {});
  BlockNotifier(const BlockNotifier&) = delete;
  BlockNotifier& operator=(const BlockNotifier&) = delete;

  [[nodiscard]] dns::Verdict decide(std::string_view normalisedName,
                                    std::uint16_t qtype) const noexcept override;

  [[nodiscard]] std::vector<BlockedSite> drain();
  // Empties the ring without telling anyone or counting against the limits: while no notice
  // program is there to tell, a block now must not keep a later visit from being told.
  void discard();
  // The agent's own self-test is about to ask for `names` (its test names, blocked on purpose):
  // for `forHowLong` they are not told, so nobody is shown a site they never visited.
  void hush(const std::vector<std::string>& names, std::chrono::steady_clock::duration forHowLong);

  // Blocked names never told: the ring was full, or over the `overall` limit.
  [[nodiscard]] std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    std::atomic<std::size_t> sequence{0};
    std::uint16_t qtype = 0;
    std::uint8_t length = 0;
    std::array<char, common::domain_index::kMaxNameLength> name{};
  };

  void note(std::string_view name, std::uint16_t qtype) const noexcept;
  struct Noted {
    std::string name;
    std::uint16_t qtype;
  };
  // What the ring holds, taken out of it; with drainMutex_ held.
  [[nodiscard]] std::vector<Noted> takeNoted();

  const dns::FilterDecision& filter_;
  IndexInForce indexInForce_;
  BlockNotifierOptions options_;

  // Written by decide() from any DNS worker; alignas keeps the two cursors off one cache line.
  mutable std::array<Slot, kCapacity> slots_;
  alignas(64) mutable std::atomic<std::size_t> tail_{0};
  alignas(64) std::size_t head_ = 0;  // drain() only, under drainMutex_
  mutable std::atomic<std::uint64_t> dropped_{0};

  std::mutex drainMutex_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> told_;  // site -> when
  std::optional<std::chrono::steady_clock::time_point> lastTold_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> hushed_;  // name -> until
};

}  // namespace clubsafe::agent::notices
