#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/notification_store.hpp"

namespace clubsafe::collector {

// Whether e-mail reaches each audience (a mail server and at least one address set).
struct MailReach {
  bool dsls = false;
  bool managers = false;
};

// The managers' alerts (a laptop gone silent, a failed filter check, tampering, lost records)
// and how e-mail is going, for the dashboard.
class NotificationRoutes {
 public:
  NotificationRoutes(NotificationStore& store, MailReach reach) : store_(store), reach_(reach) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void listManagerAlerts(Request& request, const AuthenticatedSession& session);
  void acknowledge(Request& request, const AuthenticatedSession& session);
  void mailStatus(Request& request, const AuthenticatedSession& session);

  NotificationStore& store_;
  MailReach reach_;
};

}  // namespace clubsafe::collector
