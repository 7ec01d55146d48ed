#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/event_query.hpp"

namespace clubsafe::collector {

// The unlocks youth workers made on the laptops with their PINs ("Worker override") in the last
// week: a worker sees their own (those made under the PIN whose name is their user name), a
// manager everyone's (SPEC C4: "workers see in use now and their own unlocks").
class UnlockRoutes {
 public:
  explicit UnlockRoutes(EventQuery& events) : events_(events) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);

  EventQuery& events_;
};

}  // namespace clubsafe::collector
