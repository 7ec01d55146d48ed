#pragma once

#include "agent/dns/filter_decision.hpp"
#include "agent/dns/safe_search.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/policy.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

// A moment in the laptop's local time, as a schedule reads it.
struct LocalTime {
  int weekday = 0;  // 0 is Monday, as in common::OpeningHours::days
  int minute = 0;   // after local midnight, 0 to 1439
};

// Where the filter reads the time; tests set it. Both are on the packet path.
class LocalClock {
 public:
  virtual ~LocalClock() = default;
  [[nodiscard]] virtual LocalTime now() const noexcept = 0;
  // Seconds since 1970 (UTC), for the expiry of unlocks: the coarse real-time clock, which
  // costs no system call.
  [[nodiscard]] virtual std::int64_t unixSeconds() const noexcept;
};

// The laptop's clock in its time zone. The offset from UTC is asked of the C library (which
// takes its time-zone lock) by the first query of each UTC minute and kept in one atomic word,
// so every other query reads the coarse clock and adds.
class SystemLocalClock final : public LocalClock {
 public:
  [[nodiscard]] LocalTime now() const noexcept override;

 private:
  // The UTC minute the offset was read in (high 32 bits) and the offset in seconds (low 32).
  mutable std::atomic<std::uint64_t> offset_{0};
};

// Whether `schedule` is open at `time`; an empty schedule is always open.
[[nodiscard]] bool isOpen(const std::vector<common::OpeningHours>& schedule,
                          LocalTime time) noexcept;

// A profile's allow and block lists in one flat open-addressing table of the domains' hashes,
// so that a query hashes each of its suffixes once and probes one array (a list of 10,000 in
// std::unordered_set cost a cache miss per node, twice per suffix).
class DomainLists {
 public:
  DomainLists(const std::vector<std::string>& allow, const std::vector<std::string>& block);

  struct Match {
    bool allowed = false;  // the name or a parent is on the allow list
    bool blocked = false;  // ... on the block list
  };
  [[nodiscard]] Match match(std::string_view normalisedName) const noexcept;

 private:
  static constexpr std::uint8_t kAllow = 1;
  static constexpr std::uint8_t kBlock = 2;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry = 0;  // index into domains_ plus one; 0: empty
  };
  void add(const std::string& domain, std::uint8_t list);

  std::vector<std::string> domains_;
  std::vector<std::uint8_t> lists_;  // kAllow | kBlock, per domain
  std::vector<Slot> slots_;          // a power of two, at most half full
};

// A worker's unlock on this laptop (docs/NOTICES.md, "Worker override"), as the filter applies
// it; agent/notices/overrides keeps, checks and saves them.
struct Unlock {
  enum class Scope : std::uint8_t { Domain, Category };
  Scope scope = Scope::Domain;
  std::string target;      // a normalised name (its subdomains too), or a category's name
  std::int64_t until = 0;  // seconds since 1970 (UTC): from then on it no longer applies
};

// One profile made ready for the packet path against one index.
struct CompiledProfile {
  const common::Profile* profile = nullptr;  // in CompiledPolicy::policy()
  common::domain_index::CategorySet blocked;
  DomainLists lists;
};

// A policy compiled against the index it names: immutable once made, so the filter can swap it
// in whole and readers need no lock.
class CompiledPolicy {
 public:
  // `index` may be null (no lists imported yet, or none at hand). Category names a profile
  // blocks that `index` lacks are added to `unknownCategories` as "profile: category".
  [[nodiscard]] static std::shared_ptr<const CompiledPolicy> compile(
      common::Policy policy, std::shared_ptr<const common::domain_index::DomainIndex> index,
      std::vector<std::string>* unknownCategories = nullptr);
  CompiledPolicy(const CompiledPolicy&) = delete;  // profiles_ point into policy_
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;

  [[nodiscard]] const common::Policy& policy() const { return policy_; }
  [[nodiscard]] const std::shared_ptr<const common::domain_index::DomainIndex>& index() const {
    return index_;
  }
  [[nodiscard]] const common::domain_index::CategorySet& alwaysBlocked() const {
    return alwaysBlocked_;
  }
  // The profile with `id`, or none.
  [[nodiscard]] const CompiledProfile* find(std::string_view id) const;

 private:
  CompiledPolicy(common::Policy policy,
                 std::shared_ptr<const common::domain_index::DomainIndex> index);

  common::Policy policy_;
  std::shared_ptr<const common::domain_index::DomainIndex> index_;
  common::domain_index::CategorySet alwaysBlocked_;
  std::vector<CompiledProfile> profiles_;
};

// The profile a device enforces before any policy has arrived: one profile, "built-in", made
// from the filter.* settings (blocked categories and safe search, no lists, always open).
[[nodiscard]] common::Policy builtInPolicy(std::vector<std::string> blockedCategories,
                                           SafeSearchLevel safeSearch);
inline constexpr std::string_view kBuiltInProfileId = "built-in";

// The DNS filter of one profile of a compiled policy. In this order: illegal-content categories
// (kAlwaysBlockedCategories) are blocked whatever else matches; the collector's host resolves;
// outside opening hours only names the allow list covers resolve (Reason::Closed); the block
// list blocks (Reason::BlockList); names the allow list covers skip the blocked categories; the
// index's blocked categories block; search engines are rewritten to the profile's safe-search
// level (an allow entry does not switch safe search off).
// A worker's unlock comes after the collector's host: an unlocked name (or parent) resolves
// outside opening hours and despite the block list and the blocked categories; an unlocked
// category unblocks that category only (a name the block list or another blocked category
// covers stays blocked, and so does every name outside opening hours). Illegal content stays
// blocked whatever is unlocked.
class ProfileFilter final : public FilterDecision {
 public:
  // `collectorHost`: the collector's host name, which must always resolve, as the server
  // address writes it; an IP address or empty matches nothing.
  ProfileFilter(const LocalClock& clock, std::string_view collectorHost);

  // Puts `profileId` of `policy` in force (the policy's default if it has no such profile);
  // queries already running finish on the old one.
  void install(std::shared_ptr<const CompiledPolicy> policy, std::string_view profileId);

  // Replaces the unlocks in force; they stay through later install()s, each applied against the
  // index in force (a category it lacks unlocks nothing). Expired ones are skipped per query.
  void setUnlocks(const std::vector<Unlock>& unlocks);

  struct InForce {
    std::shared_ptr<const CompiledPolicy> policy;  // null before install()
    const CompiledProfile* profile = nullptr;      // in `policy`
  };
  [[nodiscard]] InForce inForce() const;
  // The index whose category ids Block verdicts carry, or none.
  [[nodiscard]] std::shared_ptr<const common::domain_index::DomainIndex> index() const;

  [[nodiscard]] Verdict decide(std::string_view normalisedName,
                               std::uint16_t qtype) const noexcept override;

 private:
  // The unlocks against one index: a handful at most, so a scan beats a hash table.
  struct CompiledUnlocks {
    struct Domain {
      std::string name;
      std::int64_t until = 0;
    };
    struct Category {
      common::domain_index::CategoryId id = 0;
      std::int64_t until = 0;
    };
    std::vector<Domain> domains;
    std::vector<Category> categories;

    // Whether an unlock not expired at `now` covers `name` or a parent.
    [[nodiscard]] bool covers(std::string_view name, std::int64_t now) const noexcept;
    // The categories unlocked at `now`.
    [[nodiscard]] common::domain_index::CategorySet categoriesAt(std::int64_t now) const noexcept;
  };
  struct State {
    std::shared_ptr<const CompiledPolicy> policy;
    const CompiledProfile* profile = nullptr;
    CompiledUnlocks unlocks;
  };

  // With writeMutex_ held: `state` with unlocks_ compiled against its policy's index, in force.
  void publish(std::shared_ptr<State> state);

  const LocalClock& clock_;
  std::string collectorHost_;
  std::mutex writeMutex_;  // install() and setUnlocks() may come from different threads
  std::vector<Unlock> unlocks_;
  // Read and replaced with the atomic free functions (see DomainIndexHolder for why).
  std::shared_ptr<const State> state_;
};

}  // namespace clubsafe::agent::dns
