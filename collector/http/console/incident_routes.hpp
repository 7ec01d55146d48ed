#pragma once

#include "collector/http/console/console_routes.hpp"
#include "collector/storage/access_log.hpp"
#include "collector/storage/alert_queue.hpp"
#include "collector/storage/incident_store.hpp"

#include <functional>
#include <string>

namespace clubsafe::collector {

// The incident log (SPEC C9; the policy's section 8, appendices 1 and 2), for DSLs alone: a
// manager who is not a DSL sees only the counts. Opening an incident from alerts escalates them
// in the DSL's queue. Every look at an incident is written to the access log.
class IncidentRoutes {
 public:
  IncidentRoutes(IncidentStore& incidents, AlertQueue& alerts, AccessLog& accessLog,
                 std::string clubTimeZone)
      : incidents_(incidents),
        alerts_(alerts),
        accessLog_(accessLog),
        clubTimeZone_(std::move(clubTimeZone)) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void list(Request& request, const AuthenticatedSession& session);
  void counts(Request& request, const AuthenticatedSession& session);
  void open(Request& request, const AuthenticatedSession& session);
  void detail(Request& request, const AuthenticatedSession& session);
  void summaryPdf(Request& request, const AuthenticatedSession& session);
  void addInvolved(Request& request, const AuthenticatedSession& session);
  void addEntry(Request& request, const AuthenticatedSession& session);
  void tickAction(Request& request, const AuthenticatedSession& session);
  void recordSharing(Request& request, const AuthenticatedSession& session);
  void close(Request& request, const AuthenticatedSession& session);
  void releaseHold(Request& request, const AuthenticatedSession& session);

  // The alerts' events, laptops and members added to what the incident involves; ApiError when
  // an alert does not exist, is closed or belongs to another incident.
  void addAlertsTo(IncidentInvolved& involved);
  // Marks the alerts escalated into the incident; one another DSL closed or escalated meanwhile
  // is noted in the chronology instead.
  void escalate(const std::vector<std::int64_t>& alerts, std::int64_t incidentId,
                const AuthenticatedSession& session);
  // The incident read for the signed-in DSL, written to the access log as `what`.
  Incident viewed(std::int64_t id, const AuthenticatedSession& session, const std::string& what);
  // Runs a change, answering the store's refusal as 404, 409 or 400, and the incident as it now
  // is when it is made.
  void change(Request& request, const AuthenticatedSession& session,
              const std::function<void(std::int64_t id, const Poco::JSON::Object& body)>& work);

  IncidentStore& incidents_;
  AlertQueue& alerts_;
  AccessLog& accessLog_;
  std::string clubTimeZone_;
};

}  // namespace clubsafe::collector
