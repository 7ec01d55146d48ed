#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/review/review_queue.hpp"
#include "collector/storage/review_store.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

// A decision as the manager makes it.
struct DecisionInput {
  std::string site;
  std::string category;  // as the queue named it; '' when unknown
  ReviewVerdict verdict = ReviewVerdict::KeepBlocked;
  std::string scope{kAllProfiles};               // an allow's profile id, or kAllProfiles
  std::optional<std::chrono::minutes> duration;  // an allow's time; none: for good
};

// The filtering review (SPEC C7): the queue of sites to decide on, and decisions. An allow adds
// the site to profiles' allow lists and publishes a new policy version, stored in one
// transaction with the decision and its audit row; a timed allow is taken out again by
// endDueAllows when its time is up. Illegal content (iwf, terrorism) is never allowed.
// Refusals throw FilteringError, nothing changed.
class ReviewService {
 public:
  // How much of a period the queue reads.
  static constexpr std::size_t kMaxRequests = 2000;
  static constexpr std::size_t kMostBlocked = 50;
  static constexpr std::size_t kMaxListedDecisions = 500;

  ReviewService(ReviewStore& store, FilteringService& filtering)
      : store_(store), filtering_(filtering) {}

  [[nodiscard]] std::vector<review::QueueItem> queue(Timestamp from, Timestamp to);

  // Stores the decision made at `now`; returns it with its id, the profiles it holds and the
  // policy version it published.
  ReviewDecision decide(const DecisionInput& input, const ChangeAuthor& author, Timestamp now);

  // Ends the timed allows whose end is at or before `now`, as the collector ("system"), in one
  // policy version; returns how many ended.
  std::size_t endDueAllows(Timestamp now);

 private:
  ReviewStore& store_;
  FilteringService& filtering_;
  // One decision or end at a time, so the allows in force read at the start stay true.
  std::mutex mutex_;
};

}  // namespace clubsafe::collector
