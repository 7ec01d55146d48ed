#include "collector/http/console/report_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "collector/report/report_json.hpp"
#include "collector/report/report_pdf.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxTextLength = 2000;
// A check may be recorded a little ahead of the server's clock (the browser's may run fast).
constexpr auto kClockSlack = std::chrono::minutes(10);

std::string queryValue(const Request& request, const std::string& name) {
  try {
    for (const auto& [key, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
      if (key == name) return value;
    }
  } catch (const Poco::Exception&) {
    throw ApiError(400, "The report's period is not a readable query string.");
  }
  return {};
}

// A text field that must hold something besides spaces.
std::string requireText(const Poco::JSON::Object& body, const std::string& key,
                        std::size_t maxLength, const std::string& what) {
  auto text = optionalString(body, key, maxLength);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ApiError(400, key + ": give " + what + ".");
  }
  return text;
}

void sendPdf(ServerResponse& response, const std::string& pdf, const std::string& fileName) {
  response.setContentType("application/pdf");
  response.set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
  response.set("Cache-Control", "no-store");
  response.send() << pdf;
}

std::string dayText(const ClubTime& clubTime, Timestamp time) {
  const std::chrono::year_month_day day(
      std::chrono::floor<std::chrono::days>(clubTime.toLocal(time)));
  const auto two = [](unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); };
  return std::to_string(static_cast<int>(day.year())) + "-" +
         two(static_cast<unsigned>(day.month())) + "-" + two(static_cast<unsigned>(day.day()));
}

// clubsafe-audit-2026-10-01-to-2026-10-31.pdf, with `prefix` after "audit-".
std::string pdfName(const ClubTime& clubTime, Timestamp from, Timestamp to,
                    const std::string& prefix = {}) {
  return "clubsafe-audit-" + prefix + dayText(clubTime, from) + "-to-" +
         dayText(clubTime, to - std::chrono::milliseconds(1)) + ".pdf";
}

Poco::JSON::Object::Ptr signOffJson(const SignedReportRecord& record, const ClubTime& clubTime) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", record.id);
  json->set("from", common::formatTimestamp(record.from));
  json->set("to", common::formatTimestamp(record.to));
  // The period as it was chosen: the club's first and last local day.
  json->set("first_day", dayText(clubTime, record.from));
  json->set("last_day", dayText(clubTime, record.to - std::chrono::milliseconds(1)));
  json->set("name", record.signOff.name);
  json->set("role", record.signOff.role);
  json->set("notes", record.signOff.notes);
  json->set("signed_at", common::formatTimestamp(record.signOff.signedAt));
  json->set("signed_by", record.signOff.signedBy);
  json->set("pdf_sha256", record.pdfSha256);
  json->set("pdf_bytes", record.pdfBytes);
  return json;
}

}  // namespace

void ReportRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const Roles managers(Role::Manager);
  // Signed-off reports are what the manager shows the trustees (SPEC section 2).
  const Roles signedReaders(Role::Manager, Role::Trustee);
  const auto route = [&](const char* method, const char* path, Roles roles, Access access,
                         void (ReportRoutes::*handler)(Request&, const AuthenticatedSession&)) {
    routes.add({.method = method,
                .path = path,
                .roles = roles,
                .access = access,
                .handler = handlerOf(this, handler)});
  };
  route("GET", "report", managers, Read, &ReportRoutes::preview);
  route("GET", "report.pdf", managers, Read, &ReportRoutes::pdf);
  route("POST", "report/checks", managers, Change, &ReportRoutes::recordCheck);
  route("POST", "report/sign-offs", managers, Change, &ReportRoutes::signOff);
  route("GET", "report/sign-offs", signedReaders, Read, &ReportRoutes::listSignOffs);
  route("GET", "report/sign-offs/{}/pdf", signedReaders, Read, &ReportRoutes::signedPdf);
  route("GET", "report/sign-offs/{}/json", signedReaders, Read, &ReportRoutes::signedJson);
}

ReportPeriod ReportRoutes::periodOf(const Request& request) const {
  try {
    return parseReportPeriod(queryValue(request, "from"), queryValue(request, "to"), clubTime_);
  } catch (const std::invalid_argument& error) {
    throw ApiError(400, error.what());
  }
}

ReportPeriod ReportRoutes::periodOf(const Poco::JSON::Object& body) const {
  try {
    return parseReportPeriod(requireString(body, "from", 10), requireString(body, "to", 10),
                             clubTime_);
  } catch (const std::invalid_argument& error) {
    throw ApiError(400, error.what());
  }
}

void ReportRoutes::preview(Request& request, const AuthenticatedSession&) {
  const auto period = periodOf(request);
  const auto report = builder_.build(period.from, period.to, common::nowUtc());
  Poco::JSON::Object answer;
  answer.set("report", reportToJson(report));
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, answer);
}

void ReportRoutes::pdf(Request& request, const AuthenticatedSession&) {
  const auto period = periodOf(request);
  const auto report = builder_.build(period.from, period.to, common::nowUtc());
  sendPdf(request.response, renderReportPdf(report), pdfName(clubTime_, period.from, period.to));
}

void ReportRoutes::recordCheck(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto now = common::nowUtc();
  const auto checkedAt = common::parseTimestamp(requireString(*body, "checked_at", 40));
  if (!checkedAt || *checkedAt > now + kClockSlack ||
      *checkedAt < common::parseTimestamp("2000-01-01T00:00:00Z")) {
    throw ApiError(400, "checked_at: give when the check was made, not a time to come.");
  }
  const CheckRecord check{
      .id = 0,
      .checkedAt = *checkedAt,
      .checkedBy = requireText(*body, "checked_by", kMaxNameLength, "who made the check"),
      .what = requireText(*body, "what", kMaxTextLength, "what was checked"),
      .actions = optionalString(*body, "actions", kMaxTextLength),
      .recordedBy = session.user.username,
      .recordedAt = now};
  const auto id = reports_.recordCheck(check, auditEntry(session, "report.check", ""));
  Poco::JSON::Object answer;
  answer.set("id", id);
  sendJson(request.response, 201, answer);
}

void ReportRoutes::signOff(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto period = periodOf(*body);
  const auto now = common::nowUtc();
  auto report = builder_.build(period.from, period.to, now);
  report.signOff = ReportSignOff{
      .name = requireText(*body, "name", kMaxNameLength, "the name of whoever signs it off"),
      .role = requireText(*body, "role", kMaxNameLength, "their role"),
      .notes = optionalString(*body, "notes", kMaxTextLength),
      .signedAt = now,
      .signedBy = session.user.username};
  const FrozenReport frozen{.from = period.from,
                            .to = period.to,
                            .signOff = *report.signOff,
                            .json = reportJsonText(report),
                            .pdf = renderReportPdf(report)};
  const auto id = reports_.signOff(frozen, auditEntry(session, "report.sign_off", ""));
  const auto stored = reports_.findSignOff(id);
  if (!stored) throw std::runtime_error("a sign-off just stored could not be read back");
  sendJson(request.response, 201, *signOffJson(*stored, clubTime_));
}

void ReportRoutes::listSignOffs(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& record : reports_.listSignOffs()) list->add(signOffJson(record, clubTime_));
  Poco::JSON::Object answer;
  answer.set("sign_offs", list);
  sendJson(request.response, 200, answer);
}

void ReportRoutes::signedPdf(Request& request, const AuthenticatedSession&) {
  const auto id = idParameter(request);
  const auto record = reports_.findSignOff(id);
  const auto pdf = reports_.signedPdf(id);
  if (!record || !pdf) throw ApiError(404, "There is no such signed-off report.");
  sendPdf(request.response, *pdf,
          pdfName(clubTime_, record->from, record->to, "signed-" + std::to_string(id) + "-"));
}

void ReportRoutes::signedJson(Request& request, const AuthenticatedSession&) {
  const auto json = reports_.signedJson(idParameter(request));
  if (!json) throw ApiError(404, "There is no such signed-off report.");
  auto& response = request.response;
  response.setContentType("application/json");
  response.set("Cache-Control", "no-store");
  response.send() << *json;
}

}  // namespace clubsafe::collector
