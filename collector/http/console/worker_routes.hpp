#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/filtering_store.hpp"

namespace clubsafe::collector {

// The youth workers' PINs the laptops accept for staff sign-in and overrides.
class WorkerRoutes {
 public:
  WorkerRoutes(FilteringStore& store, FilteringService& filtering)
      : store_(store), filtering_(filtering) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void add(Request& request, const AuthenticatedSession& session);
  void remove(Request& request, const AuthenticatedSession& session);

  FilteringStore& store_;
  FilteringService& filtering_;
};

}  // namespace clubsafe::collector
