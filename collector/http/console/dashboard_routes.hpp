#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/storage/read_model.hpp"
#include "collector/storage/review_store.hpp"

#include <chrono>
#include <vector>

namespace clubsafe::collector {

// The dashboard (SPEC C5): a period's figures from the read model, in the club's local days,
// with the newest review requests no decision has answered yet, and the laptops in use now for
// the supervising worker.
class DashboardRoutes {
 public:
  // Throws std::invalid_argument when the tz database does not know `timeZone`.
  DashboardRoutes(ReadModel& readModel, ReviewStore& reviews, const std::string& timeZone,
                  std::vector<common::OpeningHours> openingHours)
      : readModel_(readModel), reviews_(reviews), clubTime_(timeZone, std::move(openingHours)) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void dashboard(Request& request, const AuthenticatedSession& session);
  void inUseNow(Request& request, const AuthenticatedSession& session);

  ReadModel& readModel_;
  ReviewStore& reviews_;  // the review requests still waiting, for managers
  ClubTime clubTime_;
};

}  // namespace clubsafe::collector
