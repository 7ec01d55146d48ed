#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/review/review_service.hpp"
#include "collector/storage/review_store.hpp"

namespace clubsafe::collector {

// The filtering review (SPEC C7): the queue of sites to decide on, decisions and past ones.
class ReviewRoutes {
 public:
  ReviewRoutes(ReviewStore& store, ReviewService& review) : store_(store), review_(review) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void queue(Request& request, const AuthenticatedSession& session);
  void decide(Request& request, const AuthenticatedSession& session);
  void decisions(Request& request, const AuthenticatedSession& session);

  ReviewStore& store_;
  ReviewService& review_;
};

}  // namespace clubsafe::collector
