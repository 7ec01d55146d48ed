#include "collector/review/review_queue.hpp"

#include <algorithm>

namespace clubsafe::collector::review {
namespace {

void addOnce(std::vector<std::string>& values, const std::string& value) {
  if (value.empty() || std::find(values.begin(), values.end(), value) != values.end()) return;
  values.push_back(value);
}

void addAll(std::vector<std::string>& values, const std::vector<std::string>& more) {
  for (const auto& value : more) addOnce(values, value);
}

}  // namespace

std::vector<QueueItem> buildQueue(const std::vector<ReviewRequestRecord>& requests,
                                  const std::vector<BlockedSiteRecord>& blocked,
                                  const std::map<std::string, Timestamp>& latestDecisions) {
  const auto decidedAt = [&](const std::string& domain) -> std::optional<Timestamp> {
    const auto found = latestDecisions.find(domain);
    if (found == latestDecisions.end()) return std::nullopt;
    return found->second;
  };

  std::vector<QueueItem> asked;  // in the order of each site's newest request
  for (const auto& request : requests) {
    const auto decided = decidedAt(request.domain);
    if (decided && request.time <= *decided) continue;
    auto item = std::find_if(asked.begin(), asked.end(), [&](const QueueItem& candidate) {
      return candidate.domain == request.domain;
    });
    if (item == asked.end()) {
      item = asked.emplace(asked.end());
      item->domain = request.domain;
      item->decidedAt = decided;
    }
    addOnce(item->categories, request.category);
    addOnce(item->laptops, request.laptop);
    addOnce(item->profiles, request.profile);
    item->requests.push_back({.time = request.time,
                              .laptop = request.laptop,
                              .member = request.member,
                              .profile = request.profile,
                              .message = request.message,
                              .count = request.count});
  }

  std::vector<QueueItem> blockedOnly;
  for (const auto& site : blocked) {
    const auto item = std::find_if(asked.begin(), asked.end(), [&](const QueueItem& candidate) {
      return candidate.domain == site.domain;
    });
    if (item != asked.end()) {
      item->attempts = site.attempts;
      addAll(item->categories, site.categories);
      addAll(item->laptops, site.laptops);
      addAll(item->profiles, site.profiles);
    } else if (!decidedAt(site.domain)) {
      QueueItem fresh;
      fresh.domain = site.domain;
      fresh.attempts = site.attempts;
      addAll(fresh.categories, site.categories);
      addAll(fresh.laptops, site.laptops);
      addAll(fresh.profiles, site.profiles);
      blockedOnly.push_back(std::move(fresh));
    }
  }
  std::stable_sort(blockedOnly.begin(), blockedOnly.end(),
                   [](const QueueItem& a, const QueueItem& b) { return a.attempts > b.attempts; });
  asked.insert(asked.end(), std::make_move_iterator(blockedOnly.begin()),
               std::make_move_iterator(blockedOnly.end()));
  return asked;
}

}  // namespace clubsafe::collector::review
