#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/auth/device_auth.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console/alert_routes.hpp"
#include "collector/http/console/dashboard_routes.hpp"
#include "collector/http/console/device_routes.hpp"
#include "collector/http/console/enrolment_routes.hpp"
#include "collector/http/console/explorer_routes.hpp"
#include "collector/http/console/filtering_routes.hpp"
#include "collector/http/console/incident_routes.hpp"
#include "collector/http/console/member_routes.hpp"
#include "collector/http/console/notice_routes.hpp"
#include "collector/http/console/notification_routes.hpp"
#include "collector/http/console/report_routes.hpp"
#include "collector/http/console/review_routes.hpp"
#include "collector/http/console/session_routes.hpp"
#include "collector/http/console/subscription_routes.hpp"
#include "collector/http/console/unlock_routes.hpp"
#include "collector/http/console/user_routes.hpp"
#include "collector/http/console/worker_routes.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/stores.hpp"

#include <chrono>
#include <string>

namespace clubsafe::collector {

struct ConsoleApiSettings {
  std::chrono::seconds offlineAfter{180};
  std::chrono::seconds enrolmentTokenLifetime{24 * 60 * 60};
  std::string publicUrl;       // how laptops reach the collector, for the enrol command
  std::string fingerprint;     // of the collector's certificate, for the enrol command
  std::string firstLoginFile;  // holds the one-time password until it is changed
  std::string clubTimeZone = "Europe/London";      // club.timezone: the audit report's days
  std::vector<common::OpeningHours> openingHours;  // club.opening_hours, for the dashboard
  MailReach mail;                                  // whom e-mail reaches (mail.*)
};

// The API behind the web console (see docs/ARCHITECTURE.md, "Console API"): one set of routes
// per resource in collector/http/console/, each route declaring the roles that may call it.
// Outlives the router it adds its routes to.
class ConsoleApi {
 public:
  ConsoleApi(const Stores& stores, ConsoleAuth& consoleAuth, DeviceAuth& deviceAuth,
             FilteringService& filtering, ReviewService& review, SubscriptionService& subscriptions,
             const ConsoleApiSettings& settings);

  void addRoutes(Router& router);

 private:
  ConsoleAuth& consoleAuth_;
  SessionRoutes sessions_;
  UserRoutes users_;
  DeviceRoutes devices_;
  EnrolmentRoutes enrolment_;
  FilteringRoutes filtering_;
  NoticeRoutes notice_;
  WorkerRoutes workers_;
  MemberRoutes members_;
  ReportRoutes reports_;
  ReviewRoutes review_;
  SubscriptionRoutes subscriptions_;
  ExplorerRoutes explorer_;
  DashboardRoutes dashboard_;
  AlertRoutes alerts_;
  NotificationRoutes notifications_;
  IncidentRoutes incidents_;
  UnlockRoutes unlocks_;
};

}  // namespace clubsafe::collector
