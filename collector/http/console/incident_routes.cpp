#include "collector/http/console/incident_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/incident_json.hpp"
#include "collector/http/json_io.hpp"
#include "collector/report/incident_pdf.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxTextLength = 4000;
constexpr std::size_t kMaxListLength = 100;

std::vector<std::string> optionalNames(const Poco::JSON::Object& body, const std::string& key) {
  if (!body.has(key)) return {};
  auto names = requireStrings(body, key, kMaxNameLength);
  if (names.size() > kMaxListLength) {
    throw ApiError(
        400, "The field \"" + key + "\" names more than " + std::to_string(kMaxListLength) + ".");
  }
  return names;
}

// A list field of `key`, each item read by `read` (which throws ApiError for a wrong one).
template <typename Read>
auto listOf(const Poco::JSON::Object& body, const std::string& key, Read read) {
  std::vector<std::invoke_result_t<Read, const Poco::Dynamic::Var&, const std::string&>> items;
  if (!body.has(key)) return items;
  const auto value = body.get(key);
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
    throw ApiError(400, "The field \"" + key + "\" must be a list.");
  }
  const auto& array = *value.extract<Poco::JSON::Array::Ptr>();
  if (array.size() > kMaxListLength) {
    throw ApiError(400, "The field \"" + key + "\" has more than " +
                            std::to_string(kMaxListLength) + " items.");
  }
  for (std::size_t i = 0; i < array.size(); ++i) {
    items.push_back(read(array.get(static_cast<unsigned>(i)), key + "[" + std::to_string(i) + "]"));
  }
  return items;
}

std::int64_t positiveNumber(const Poco::Dynamic::Var& value, const std::string& where) {
  if (!value.isInteger() || value.convert<std::int64_t>() < 1) {
    throw ApiError(400, "The field \"" + where + "\" must be a whole number above 0.");
  }
  return value.convert<std::int64_t>();
}

LinkedEvent linkedEvent(const Poco::Dynamic::Var& value, const std::string& where) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "The field \"" + where + "\" must be {\"device_id\": …, \"seq\": …}.");
  }
  const auto& object = *value.extract<Poco::JSON::Object::Ptr>();
  auto deviceId = requireString(object, "device_id", kMaxNameLength);
  if (!object.has("seq")) throw ApiError(400, "The field \"" + where + ".seq\" is missing.");
  return {std::move(deviceId), positiveNumber(object.get("seq"), where + ".seq")};
}

std::optional<std::int64_t> optionalNumber(const Poco::JSON::Object& body, const std::string& key) {
  if (!body.has(key) || body.get(key).isEmpty()) return std::nullopt;
  return positiveNumber(body.get(key), key);
}

bool requireBoolean(const Poco::JSON::Object& body, const std::string& key) {
  if (!body.has(key) || !body.get(key).isBoolean()) {
    throw ApiError(400, "The field \"" + key + "\" must be true or false.");
  }
  return body.get(key).extract<bool>();
}

template <typename Value>
void addOnce(std::vector<Value>& values, const Value& value) {
  if (std::ranges::find(values, value) == values.end()) values.push_back(value);
}

}  // namespace

void IncidentRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const Roles dsl(Role::Dsl);
  const auto route = [&](const char* method, const char* path, Roles roles, Access access,
                         void (IncidentRoutes::*handler)(Request&, const AuthenticatedSession&)) {
    routes.add({.method = method,
                .path = path,
                .roles = roles,
                .access = access,
                .handler = handlerOf(this, handler)});
  };
  route("GET", "incidents", dsl, Read, &IncidentRoutes::list);
  // How many are open and closed, no more: what a manager may know of the DSL's casework.
  route("GET", "incidents/counts", Roles(Role::Manager, Role::Dsl), Read, &IncidentRoutes::counts);
  route("POST", "incidents", dsl, Change, &IncidentRoutes::open);
  route("GET", "incidents/{}", dsl, Read, &IncidentRoutes::detail);
  route("GET", "incidents/{}/summary.pdf", dsl, Read, &IncidentRoutes::summaryPdf);
  route("POST", "incidents/{}/involved", dsl, Change, &IncidentRoutes::addInvolved);
  route("POST", "incidents/{}/entries", dsl, Change, &IncidentRoutes::addEntry);
  route("POST", "incidents/{}/actions", dsl, Change, &IncidentRoutes::tickAction);
  route("POST", "incidents/{}/sharing", dsl, Change, &IncidentRoutes::recordSharing);
  route("POST", "incidents/{}/close", dsl, Change, &IncidentRoutes::close);
  route("POST", "incidents/{}/release-hold", dsl, Change, &IncidentRoutes::releaseHold);
}

void IncidentRoutes::list(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& summary : incidents_.listIncidents()) list->add(incidentSummaryJson(summary));
  auto answer = incidentTermsJson();
  answer->set("incidents", list);
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, *answer);
}

void IncidentRoutes::counts(Request& request, const AuthenticatedSession&) {
  const auto counts = incidents_.countIncidents();
  Poco::JSON::Object answer;
  answer.set("open", counts.open);
  answer.set("closed", counts.closed);
  sendJson(request.response, 200, answer);
}

void IncidentRoutes::addAlertsTo(IncidentInvolved& involved) {
  for (const auto id : involved.alerts) {
    const auto alert = alerts_.alertDetail(id);
    if (!alert) throw ApiError(400, "There is no alert " + std::to_string(id) + ".");
    const auto& summary = alert->summary;
    if (isClosed(summary.state) || summary.incidentId) {
      throw ApiError(409, "Alert " + std::to_string(id) +
                              " is closed or already part of an incident; open it there.");
    }
    addOnce(involved.events, LinkedEvent{summary.deviceId, summary.sequence});
    addOnce(involved.laptops, summary.deviceId);
    if (!summary.member.empty()) addOnce(involved.members, summary.member);
  }
}

void IncidentRoutes::escalate(const std::vector<std::int64_t>& alerts, std::int64_t incidentId,
                              const AuthenticatedSession& session) {
  for (const auto alert : alerts) {
    try {
      alerts_.markEscalated(alert, incidentId, session.user.username);
    } catch (const AlertChangeRefused& refused) {
      // Another DSL changed the alert since it was checked: the incident keeps it, and says so.
      (void)incidents_.addEntry(incidentId,
                                {.time = common::nowUtc(),
                                 .author = session.user.username,
                                 .text = "Alert " + std::to_string(alert) +
                                         " could not be marked as escalated: " + refused.what()});
    }
  }
}

void IncidentRoutes::open(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  NewIncident incident{.category = requireString(*body, "category", kMaxNameLength),
                       .title = requireString(*body, "title", kMaxTitleLength),
                       .involved = {.members = optionalNames(*body, "members"),
                                    .staff = optionalNames(*body, "staff"),
                                    .laptops = optionalNames(*body, "laptops"),
                                    .events = listOf(*body, "events", linkedEvent),
                                    .alerts = listOf(*body, "alerts", positiveNumber)},
                       .reviewDate = std::nullopt,
                       .openedBy = session.user.username,
                       .openedAt = common::nowUtc(),
                       .firstEntry = optionalString(*body, "what_happened", kMaxTextLength)};
  if (const auto review = optionalString(*body, "review_date", 10); !review.empty()) {
    incident.reviewDate = review;
  }
  addAlertsTo(incident.involved);
  std::int64_t id = 0;
  try {
    id = incidents_.openIncident(incident);
  } catch (const IncidentRefused& refused) {
    throw ApiError(400, refused.what());
  }
  escalate(incident.involved.alerts, id, session);
  sendJson(request.response, 201, *incidentJson(viewed(id, session, "incident")));
}

Incident IncidentRoutes::viewed(std::int64_t id, const AuthenticatedSession& session,
                                const std::string& what) {
  auto incident = incidents_.findIncident(id);
  if (!incident) throw ApiError(404, "There is no incident " + std::to_string(id) + ".");
  accessLog_.recordAccess({.time = common::nowUtc(),
                           .viewer = session.user.username,
                           .kind = AccessKind::Incident,
                           .filter = what + " " + std::to_string(id),
                           .rows = 1});
  return *incident;
}

void IncidentRoutes::detail(Request& request, const AuthenticatedSession& session) {
  const auto incident = viewed(idParameter(request), session, "incident");
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, *incidentJson(incident));
}

void IncidentRoutes::summaryPdf(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto incident = viewed(id, session, "incident summary");
  auto& response = request.response;
  response.setContentType("application/pdf");
  response.set("Content-Disposition",
               "attachment; filename=\"clubsafe-incident-" + std::to_string(id) + ".pdf\"");
  response.set("Cache-Control", "no-store");
  response.send() << renderIncidentPdf(incident, clubTimeZone_, common::nowUtc());
}

void IncidentRoutes::change(
    Request& request, const AuthenticatedSession& session,
    const std::function<void(std::int64_t id, const Poco::JSON::Object& body)>& work) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  try {
    work(id, *body);
  } catch (const IncidentRefused& refused) {
    using enum IncidentRefused::Reason;
    const auto reason = refused.reason();
    throw ApiError(reason == NotFound ? 404 : reason == Closed ? 409 : 400, refused.what());
  }
  sendJson(request.response, 200, *incidentJson(viewed(id, session, "incident")));
}

void IncidentRoutes::addInvolved(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    IncidentInvolved added{.members = optionalNames(body, "members"),
                           .staff = optionalNames(body, "staff"),
                           .laptops = optionalNames(body, "laptops"),
                           .events = listOf(body, "events", linkedEvent),
                           .alerts = listOf(body, "alerts", positiveNumber)};
    addAlertsTo(added);
    incidents_.addInvolved(id, added, session.user.username, common::nowUtc());
    escalate(added.alerts, id, session);
  });
}

void IncidentRoutes::addEntry(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    (void)incidents_.addEntry(id, {.time = common::nowUtc(),
                                   .author = session.user.username,
                                   .text = requireString(body, "text", kMaxTextLength),
                                   .corrects = optionalNumber(body, "corrects")});
  });
}

void IncidentRoutes::tickAction(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    (void)incidents_.tickAction(id, {.action = requireString(body, "action", kMaxNameLength),
                                     .reference = optionalString(body, "reference", kMaxNameLength),
                                     .note = optionalString(body, "note", kMaxTextLength),
                                     .tickedBy = session.user.username,
                                     .tickedAt = common::nowUtc()});
  });
}

void IncidentRoutes::recordSharing(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    (void)incidents_.recordSharing(
        id, {.shared = requireBoolean(body, "shared"),
             .what = requireString(body, "what", kMaxTextLength),
             .withWhom = requireString(body, "with_whom", kMaxTitleLength),
             .purpose = requireString(body, "purpose", kMaxTextLength),
             .lawfulBasis = optionalString(body, "lawful_basis", kMaxTextLength),
             .reason = requireString(body, "reason", kMaxTextLength),
             .decidedBy = session.user.username,
             .decidedAt = common::nowUtc()});
  });
}

void IncidentRoutes::close(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    incidents_.closeIncident(
        id, {.outcome = requireString(body, "outcome", kMaxTextLength),
             .lessonsLearnt = requireString(body, "lessons_learnt", kMaxTextLength),
             .closedBy = session.user.username,
             .closedAt = common::nowUtc()});
  });
}

void IncidentRoutes::releaseHold(Request& request, const AuthenticatedSession& session) {
  change(request, session, [&](std::int64_t id, const Poco::JSON::Object& body) {
    incidents_.releaseHold(id, session.user.username, common::nowUtc(),
                           requireString(body, "reason", kMaxTextLength));
  });
}

}  // namespace clubsafe::collector
