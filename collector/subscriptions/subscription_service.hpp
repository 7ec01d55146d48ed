#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/storage/filtering_store.hpp"
#include "collector/storage/subscription_store.hpp"
#include "collector/subscriptions/list_fetcher.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace clubsafe::collector {

// A subscription as the manager asks for it.
struct NewSubscription {
  std::string url;
  std::string format;  // plain, hosts, adblock or ut1
  std::string category;
  std::int64_t refreshHours = 24;
};

using ListFetch = std::function<FetchResult(const FetchRequest&)>;

// List subscriptions (docs/POLICY.md, "List subscriptions"): lists the collector downloads by
// itself on a schedule, with If-None-Match / If-Modified-Since, and imports through the same
// path as a list the manager uploads (FilteringService::importLists: a new policy version with
// its audit row). A failed download, an answer over the size cap or a copy that does not import
// changes nothing: the last good copy stays in force and the failure is kept on the
// subscription for the console to show. Refusals throw FilteringError, nothing changed.
class SubscriptionService {
 public:
  static constexpr std::int64_t kMinRefreshHours = 1;
  static constexpr std::int64_t kMaxRefreshHours = 24 * 28;
  // A failing subscription is tried again after this many hours at most.
  static constexpr std::int64_t kRetryHours = 1;

  SubscriptionService(SubscriptionStore& store, FilteringStore& lists, FilteringService& filtering,
                      std::size_t maxBytes = kMaxListBytes, ListFetch fetch = fetchList)
      : store_(store),
        lists_(lists),
        filtering_(filtering),
        maxBytes_(maxBytes),
        fetch_(std::move(fetch)) {}

  // Stores the subscription (audited); its first download is at the next refreshDue.
  std::int64_t subscribe(const NewSubscription& subscription, const ChangeAuthor& author,
                         Timestamp now);
  void unsubscribe(std::int64_t id, const ChangeAuthor& author);

  // Downloads the subscription now and imports a changed copy; returns it as it is after.
  SubscriptionRecord refresh(std::int64_t id, Timestamp now);
  // Refreshes every subscription due at `now`; returns how many were tried.
  std::size_t refreshDue(Timestamp now);

 private:
  void refresh(const SubscriptionRecord& subscription, Timestamp now);

  SubscriptionStore& store_;
  FilteringStore& lists_;
  FilteringService& filtering_;
  std::size_t maxBytes_;
  ListFetch fetch_;
  std::mutex mutex_;  // one refresh at a time
};

}  // namespace clubsafe::collector
