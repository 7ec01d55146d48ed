#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/storage.hpp"

namespace clubsafe::collector {

// The monitoring notice the laptops show.
class NoticeRoutes {
 public:
  NoticeRoutes(Storage& storage, FilteringService& filtering)
      : storage_(storage), filtering_(filtering) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void show(Request& request, const AuthenticatedSession& session);
  void save(Request& request, const AuthenticatedSession& session);

  Storage& storage_;
  FilteringService& filtering_;
};

}  // namespace clubsafe::collector
