#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/access_log.hpp"
#include "collector/storage/event_query.hpp"

namespace clubsafe::collector {

// The usage explorer (SPEC C6): raw events by filter, a page at a time or as one CSV, each
// view or export that names a person written to the access log. The query string is
// described in explorer_filter.hpp.
class ExplorerRoutes {
 public:
  ExplorerRoutes(EventQuery& events, AccessLog& accessLog)
      : events_(events), accessLog_(accessLog) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void page(Request& request, const AuthenticatedSession& session);
  void csv(Request& request, const AuthenticatedSession& session);

  EventQuery& events_;
  AccessLog& accessLog_;
};

}  // namespace clubsafe::collector
