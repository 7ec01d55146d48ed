#pragma once

#include "collector/storage/audit_log.hpp"
#include "collector/storage/filtering_store.hpp"
#include "common/event.hpp"
#include "common/policy.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// A young person's "ask for a review" of a blocked site (a review_request event), with the
// laptop's name.
struct ReviewRequestRecord {
  Timestamp time{};
  std::string deviceId;
  std::string laptop;  // the device's name
  std::string osUser;
  std::string member;
  std::string profile;
  std::string domain;
  std::string category;  // '' when the agent did not know it
  std::string message;   // the young person's words, '' for none
  // How many requests it stands for: a laptop folds an account's requests past its allowance
  // into one event with their count (docs/NOTICES.md), keeping the last one's words.
  std::int64_t count = 1;
};

// A site the DNS filter blocked in a period (dns_minutes), added up over laptops and minutes.
struct BlockedSiteRecord {
  std::string domain;
  std::vector<std::string> categories;
  std::int64_t attempts = 0;
  std::vector<std::string> laptops;  // device names
  std::vector<std::string> profiles;
};

enum class ReviewVerdict { Allow, KeepBlocked };

// The scope of a decision that applies to every profile.
inline constexpr std::string_view kAllProfiles = "*";

// A manager's decision on a site in the review queue (SPEC C7).
struct ReviewDecision {
  std::int64_t id = 0;
  Timestamp decidedAt{};
  std::string decidedBy;
  std::string domain;
  std::string category;  // as the queue named it; '' when unknown
  ReviewVerdict verdict = ReviewVerdict::KeepBlocked;
  std::string scope;               // a profile id, or kAllProfiles
  std::optional<Timestamp> until;  // an allow's end; none: for good (and for keep blocked)
  std::vector<std::string> holds;  // profiles whose allow entry for the domain this allow holds
  std::string reason;
  std::optional<std::int64_t> policyVersion;  // the version an allow published
  std::optional<Timestamp> endedAt;           // when the collector ended a timed allow
};

// Profiles changed by a decision or its end, stored with the policy version they make.
struct ProfilesChange {
  std::vector<common::Profile> profiles;  // only the changed ones
  PolicyChange change;                    // carries the audit entry
};

// What a decision writes besides its own row: an audit entry alone, or changed profiles with a
// new policy version and its audit entry.
using ReviewEffect = std::variant<AuditEntry, ProfilesChange>;

// The filtering review: its queue's sources and the decisions. Every change is one transaction
// with its effect; a policy change refuses, changing nothing, when its version is not one above
// the newest (as FilteringStore's do). Safe to call from many threads.
class ReviewStore {
 public:
  virtual ~ReviewStore() = default;

  // Review requests with from <= time < to, newest first, at most `limit`.
  virtual std::vector<ReviewRequestRecord> reviewRequests(Timestamp from, Timestamp to,
                                                          std::size_t limit) = 0;
  // The most blocked sites with from <= minute < to, most attempts first, at most `limit`, and
  // after them those of `alsoDomains` that were blocked but are not among the most; blocks for
  // closing time are not a filtering decision and are left out.
  virtual std::vector<BlockedSiteRecord> blockedSites(
      Timestamp from, Timestamp to, std::size_t limit,
      const std::vector<std::string>& alsoDomains) = 0;

  // The newest `limit` decisions, newest first.
  virtual std::vector<ReviewDecision> listDecisions(std::size_t limit) = 0;
  // When each domain was last decided on.
  virtual std::map<std::string, Timestamp> latestDecisions() = 0;
  // Allows not ended: for good, or for a time not yet ended by endAllows.
  virtual std::vector<ReviewDecision> activeAllows() = 0;

  // Stores a decision (its id, endedAt and policyVersion are set here) with its effect; returns
  // its id.
  virtual std::int64_t recordDecision(const ReviewDecision& decision,
                                      const ReviewEffect& effect) = 0;
  // Marks timed allows as ended at `endedAt`, with their effect.
  virtual void endAllows(const std::vector<std::int64_t>& ids, Timestamp endedAt,
                         const ReviewEffect& effect) = 0;
};

}  // namespace clubsafe::collector
