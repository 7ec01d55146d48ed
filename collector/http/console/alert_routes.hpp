#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/access_log.hpp"
#include "collector/storage/account_store.hpp"
#include "collector/storage/alert_queue.hpp"
#include "collector/storage/event_query.hpp"

#include <chrono>
#include <functional>

namespace clubsafe::collector {

// The DSL's alert queue (SPEC C8) and the access log page (C4), for DSLs alone: a manager who
// is not a DSL sees only the dashboard's counts. Every look at an alert's detail and context is
// written to the access log.
class AlertRoutes {
 public:
  // The context of an alert: that person's activity on that laptop this long either side.
  static constexpr std::chrono::hours kContextSpan{1};
  static constexpr std::size_t kPageSize = 100;

  AlertRoutes(AlertQueue& alerts, EventQuery& events, AccessLog& accessLog, AccountStore& accounts)
      : alerts_(alerts), events_(events), accessLog_(accessLog), accounts_(accounts) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void detail(Request& request, const AuthenticatedSession& session);
  void acknowledge(Request& request, const AuthenticatedSession& session);
  void assign(Request& request, const AuthenticatedSession& session);
  void close(Request& request, const AuthenticatedSession& session);
  void reopen(Request& request, const AuthenticatedSession& session);
  void falsePositives(Request& request, const AuthenticatedSession& session);
  void accessLogPage(Request& request, const AuthenticatedSession& session);

  // Runs a change, answering 404, 400 or 409 with the store's words when it is refused, and the
  // alert as it now is when it is made.
  void change(Request& request, const std::function<void(std::int64_t id)>& work);

  AlertQueue& alerts_;
  EventQuery& events_;
  AccessLog& accessLog_;
  AccountStore& accounts_;
};

}  // namespace clubsafe::collector
