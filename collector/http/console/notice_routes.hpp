#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/filtering_store.hpp"

namespace clubsafe::collector {

// The monitoring notice the laptops show.
class NoticeRoutes {
 public:
  NoticeRoutes(FilteringStore& store, FilteringService& filtering)
      : store_(store), filtering_(filtering) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void show(Request& request, const AuthenticatedSession& session);
  void save(Request& request, const AuthenticatedSession& session);

  FilteringStore& store_;
  FilteringService& filtering_;
};

}  // namespace clubsafe::collector
