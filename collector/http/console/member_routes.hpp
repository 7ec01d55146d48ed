#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/filtering_store.hpp"

namespace clubsafe::collector {

// The member register (issue 14 item 1): the first names or member codes, with age bands, that
// may sign in on the laptops with a band older than the default profile's. Managers and youth
// workers keep it (workers register young people at the door).
class MemberRoutes {
 public:
  MemberRoutes(FilteringStore& store, FilteringService& filtering)
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
