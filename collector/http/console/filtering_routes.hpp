#pragma once

#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/filtering_store.hpp"

namespace clubsafe::collector {

// The filter's lists by category, its profiles and the laptops' default profile.
class FilteringRoutes {
 public:
  FilteringRoutes(FilteringStore& store, FilteringService& filtering)
      : store_(store), filtering_(filtering) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void listCategories(Request& request, const AuthenticatedSession& session);
  void importList(Request& request, const AuthenticatedSession& session);
  void deleteList(Request& request, const AuthenticatedSession& session);
  void listProfiles(Request& request, const AuthenticatedSession& session);
  void createProfile(Request& request, const AuthenticatedSession& session);
  void updateProfile(Request& request, const AuthenticatedSession& session);
  void deleteProfile(Request& request, const AuthenticatedSession& session);
  void setDefaultProfile(Request& request, const AuthenticatedSession& session);

  FilteringStore& store_;
  FilteringService& filtering_;
};

}  // namespace clubsafe::collector
