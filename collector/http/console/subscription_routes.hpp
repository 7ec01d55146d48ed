#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/subscription_store.hpp"
#include "collector/subscriptions/subscription_service.hpp"

namespace clubsafe::collector {

// Filter lists the collector downloads by itself: subscribing, refreshing now, ending, and
// whether the last refresh failed.
class SubscriptionRoutes {
 public:
  SubscriptionRoutes(SubscriptionStore& store, SubscriptionService& subscriptions)
      : store_(store), subscriptions_(subscriptions) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void add(Request& request, const AuthenticatedSession& session);
  void refresh(Request& request, const AuthenticatedSession& session);
  void remove(Request& request, const AuthenticatedSession& session);

  SubscriptionStore& store_;
  SubscriptionService& subscriptions_;
};

}  // namespace clubsafe::collector
