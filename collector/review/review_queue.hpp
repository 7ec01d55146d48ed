#pragma once

#include "collector/storage/review_store.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector::review {

// One young person's request in the queue, with their words.
struct QueueRequest {
  Timestamp time{};
  std::string laptop;
  std::string member;  // '' when nobody had signed in
  std::string profile;
  std::string message;
  std::int64_t count = 1;  // the requests it stands for (ReviewRequestRecord::count)
};

// A site waiting for a decision: asked about, blocked often, or both.
struct QueueItem {
  std::string domain;
  std::vector<std::string> categories;  // ids, as the lists name them
  std::int64_t attempts = 0;            // blocked lookups in the period
  std::vector<std::string> laptops;     // names
  std::vector<std::string> profiles;
  std::vector<QueueRequest> requests;  // since the last decision, newest first
  std::optional<Timestamp> decidedAt;  // the last decision on the site, if any
};

// The queue from a period's review requests (newest first) and blocked sites: every site asked
// about since its last decision, newest request first, then the blocked sites never decided on,
// most attempts first. A decided site comes back when someone asks again after the decision.
[[nodiscard]] std::vector<QueueItem> buildQueue(
    const std::vector<ReviewRequestRecord>& requests, const std::vector<BlockedSiteRecord>& blocked,
    const std::map<std::string, Timestamp>& latestDecisions);

}  // namespace clubsafe::collector::review
