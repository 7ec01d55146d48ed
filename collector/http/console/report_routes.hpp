#pragma once

#include "collector/club_time/club_time.hpp"
#include "collector/http/console/console_routes.hpp"
#include "collector/report/report_builder.hpp"
#include "collector/report/report_period.hpp"
#include "collector/storage/report_store.hpp"

#include <string>

namespace clubsafe::collector {

// The manager's audit report (SPEC C10; docs/REPORT.md): a period's report as JSON and as a
// PDF, the record of checks, and sign-offs, which freeze the report as signed.
class ReportRoutes {
 public:
  // Throws std::invalid_argument when the tz database does not know `timeZone`.
  ReportRoutes(DeviceStore& devices, FilteringStore& filtering, ReportFigures& figures,
               ReportRecords& records, ReportStore& reports, const std::string& timeZone)
      : builder_(devices, filtering, figures, records, timeZone),
        reports_(reports),
        clubTime_(timeZone, {}) {}

  void addTo(ConsoleRoutes& routes);

 private:
  void preview(Request& request, const AuthenticatedSession& session);
  void pdf(Request& request, const AuthenticatedSession& session);
  void recordCheck(Request& request, const AuthenticatedSession& session);
  void signOff(Request& request, const AuthenticatedSession& session);
  void listSignOffs(Request& request, const AuthenticatedSession& session);
  void signedPdf(Request& request, const AuthenticatedSession& session);
  void signedJson(Request& request, const AuthenticatedSession& session);

  [[nodiscard]] ReportPeriod periodOf(const Request& request) const;
  [[nodiscard]] ReportPeriod periodOf(const Poco::JSON::Object& body) const;

  ReportBuilder builder_;
  ReportStore& reports_;
  ClubTime clubTime_;
};

}  // namespace clubsafe::collector
