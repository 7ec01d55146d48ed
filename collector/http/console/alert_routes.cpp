#include "collector/http/console/alert_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/event_json.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>
#include <charconv>

namespace clubsafe::collector {
namespace {

// The value of `?name=`, "" when absent.
std::string queryValue(const Request& request, std::string_view name) {
  try {
    for (const auto& [key, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
      if (key == name) return value;
    }
  } catch (const Poco::Exception&) {
    throw ApiError(400, "The address's query is not readable.");
  }
  return "";
}

// ?offset=: how many of the list to skip, 0 unless given.
std::size_t offsetOf(const Request& request) {
  const auto text = queryValue(request, "offset");
  if (text.empty()) return 0;
  std::size_t offset = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), offset);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw ApiError(400, "The offset must be a whole number, 0 or more.");
  }
  return offset;
}

std::string kindName(AlertKind kind) {
  return kind == AlertKind::Worry ? "worry_report" : "safeguarding_alert";
}

Poco::JSON::Object::Ptr summaryJson(const AlertSummary& alert) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", alert.id);
  json->set("kind", kindName(alert.kind));
  json->set("severity", alert.severity);
  json->set("time", common::formatTimestamp(alert.time));
  json->set("device_id", alert.deviceId);
  json->set("laptop", alert.laptop);
  json->set("account", alert.osUser);
  json->set("member", alert.member);
  json->set("category", alert.category);
  json->set("state", std::string(alertStateName(alert.state)));
  json->set("assigned_to", alert.assignedTo);
  json->set("incident_id",
            alert.incidentId ? Poco::Dynamic::Var(*alert.incidentId) : Poco::Dynamic::Var());
  return json;
}

Poco::JSON::Array::Ptr historyJson(const std::vector<AlertHistoryEntry>& history) {
  Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
  for (const auto& entry : history) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("at", common::formatTimestamp(entry.at));
    json->set("by", entry.by);
    json->set("from", std::string(alertStateName(entry.from)));
    json->set("to", std::string(alertStateName(entry.to)));
    json->set("note", entry.note);
    entries->add(json);
  }
  return entries;
}

// The person's activity on the laptop around the alert: the member when one was signed in,
// otherwise the laptop's account. Oldest first, as a chronology reads.
EventPage contextOf(EventQuery& events, const AlertSummary& alert) {
  EventFilter filter;
  filter.deviceId = alert.deviceId;
  filter.from = alert.time - AlertRoutes::kContextSpan;
  filter.to = alert.time + AlertRoutes::kContextSpan;
  if (!alert.member.empty()) {
    filter.member = alert.member;
  } else {
    filter.osUser = alert.osUser;
  }
  auto page = events.listEvents(filter, std::nullopt, EventQuery::kMostPerPage);
  std::ranges::reverse(page.events);
  return page;
}

std::string accessRecordKind(AccessKind kind) {
  switch (kind) {
    case AccessKind::View:
      return "explorer view";
    case AccessKind::Export:
      return "explorer export";
    case AccessKind::Alert:
      return "alert";
    case AccessKind::Incident:
      return "incident";
  }
  return "view";
}

}  // namespace

void AlertRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const Roles dsl(Role::Dsl);
  routes.add({.method = "GET",
              .path = "alerts",
              .roles = dsl,
              .access = Read,
              .handler = handlerOf(this, &AlertRoutes::list)});
  routes.add({.method = "GET",
              .path = "alerts/false-positives",
              .roles = dsl,
              .access = Read,
              .handler = handlerOf(this, &AlertRoutes::falsePositives)});
  routes.add({.method = "GET",
              .path = "alerts/{}",
              .roles = dsl,
              .access = Read,
              .handler = handlerOf(this, &AlertRoutes::detail)});
  routes.add({.method = "POST",
              .path = "alerts/{}/acknowledge",
              .roles = dsl,
              .access = Change,
              .handler = handlerOf(this, &AlertRoutes::acknowledge)});
  routes.add({.method = "POST",
              .path = "alerts/{}/assign",
              .roles = dsl,
              .access = Change,
              .handler = handlerOf(this, &AlertRoutes::assign)});
  routes.add({.method = "POST",
              .path = "alerts/{}/close",
              .roles = dsl,
              .access = Change,
              .handler = handlerOf(this, &AlertRoutes::close)});
  routes.add({.method = "POST",
              .path = "alerts/{}/reopen",
              .roles = dsl,
              .access = Change,
              .handler = handlerOf(this, &AlertRoutes::reopen)});
  routes.add({.method = "GET",
              .path = "access-log",
              .roles = dsl,
              .access = Read,
              .handler = handlerOf(this, &AlertRoutes::accessLogPage)});
}

// ?state=new|acknowledged|…, ?mine=1 for those assigned to the caller, ?offset=.
void AlertRoutes::list(Request& request, const AuthenticatedSession& session) {
  AlertListFilter filter;
  if (const auto state = queryValue(request, "state"); !state.empty()) {
    filter.state = alertStateFromName(state);
    if (!filter.state) {
      throw ApiError(400,
                     "Choose a state: new, acknowledged, escalated, closed_no_concern or "
                     "closed_false_positive.");
    }
  }
  if (queryValue(request, "mine") == "1") filter.assignedTo = session.user.username;
  const auto offset = offsetOf(request);
  const auto found = alerts_.listAlerts(filter, kPageSize + 1, offset);
  Poco::JSON::Array::Ptr alerts = new Poco::JSON::Array;
  for (std::size_t i = 0; i < std::min(found.size(), kPageSize); ++i) {
    alerts->add(summaryJson(found[i]));
  }
  Poco::JSON::Object answer;
  answer.set("more", found.size() > kPageSize);
  answer.set("offset", offset);
  answer.set("alerts", alerts);
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, answer);
}

void AlertRoutes::detail(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto alert = alerts_.alertDetail(id);
  if (!alert) throw ApiError(404, "There is no alert " + std::to_string(id) + ".");
  const auto context = contextOf(events_, alert->summary);
  accessLog_.recordAccess({.time = common::nowUtc(),
                           .viewer = session.user.username,
                           .kind = AccessKind::Alert,
                           .filter = "alert " + std::to_string(id),
                           .rows = 1 + static_cast<std::int64_t>(context.events.size())});

  Poco::JSON::Array::Ptr activity = new Poco::JSON::Array;
  for (const auto& event : context.events) activity->add(eventJson(event));
  auto answer = summaryJson(alert->summary);
  answer->set("event", alert->payload.empty() ? Poco::Dynamic::Var() : payloadJson(alert->payload));
  answer->set("context_from", common::formatTimestamp(alert->summary.time - kContextSpan));
  answer->set("context_to", common::formatTimestamp(alert->summary.time + kContextSpan));
  answer->set("context", activity);
  answer->set("context_cut", context.next.has_value());
  answer->set("history", historyJson(alert->history));
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, *answer);
}

void AlertRoutes::change(Request& request, const std::function<void(std::int64_t id)>& work) {
  const auto id = idParameter(request);
  try {
    work(id);
  } catch (const AlertChangeRefused& refused) {
    using enum AlertChangeRefused::Reason;
    const int status = refused.reason() == NotFound        ? 404
                       : refused.reason() == MissingReason ? 400
                                                           : 409;
    throw ApiError(status, refused.what());
  }
  const auto alert = alerts_.alertDetail(id);
  if (!alert) throw ApiError(404, "There is no alert " + std::to_string(id) + ".");
  sendJson(request.response, 200, *summaryJson(alert->summary));
}

void AlertRoutes::acknowledge(Request& request, const AuthenticatedSession& session) {
  (void)readJsonObject(request.http);
  change(request, [&](std::int64_t id) {
    alerts_.acknowledge(id, session.user.username, common::nowUtc());
  });
}

// {"to": a DSL's user name, or "" for nobody}
void AlertRoutes::assign(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto assignee = optionalString(*body, "to", 100);
  if (!assignee.empty()) {
    const auto user = accounts_.findUserByName(assignee);
    if (!user || user->disabledAt || !user->hasRole(roleName(Role::Dsl))) {
      throw ApiError(400, "An alert can be assigned only to a DSL whose account is in use.");
    }
  }
  change(request, [&](std::int64_t id) {
    alerts_.assign(id, assignee, session.user.username, common::nowUtc());
  });
}

// {"as": "no_concern" | "false_positive", "reason": why}
void AlertRoutes::close(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto as = optionalString(*body, "as", 30);
  if (as != "no_concern" && as != "false_positive") {
    throw ApiError(400,
                   "Choose whether the alert is closed as no concern or as a false "
                   "positive.");
  }
  const auto state =
      as == "no_concern" ? AlertState::ClosedNoConcern : AlertState::ClosedFalsePositive;
  const auto reason = optionalString(*body, "reason", 2000);
  change(request, [&](std::int64_t id) {
    alerts_.close(id, state, reason, session.user.username, common::nowUtc());
  });
}

// {"reason": what has come to light}
void AlertRoutes::reopen(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto reason = optionalString(*body, "reason", 2000);
  change(request, [&](std::int64_t id) {
    alerts_.reopen(id, reason, session.user.username, common::nowUtc());
  });
}

void AlertRoutes::falsePositives(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr rules = new Poco::JSON::Array;
  for (const auto& count : alerts_.falsePositiveCounts()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("category", count.category);
    json->set("phrase", count.phrase);
    json->set("rule", count.rule);
    json->set("false_positives", count.falsePositives);
    json->set("alerts", count.alerts);
    rules->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("rules", rules);
  sendJson(request.response, 200, answer);
}

// Newest first, kPageSize at a time from ?offset=.
void AlertRoutes::accessLogPage(Request& request, const AuthenticatedSession&) {
  const auto offset = offsetOf(request);
  const auto records = accessLog_.listAccess(kPageSize + 1, offset);
  Poco::JSON::Array::Ptr entries = new Poco::JSON::Array;
  for (std::size_t i = 0; i < std::min(records.size(), kPageSize); ++i) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("time", common::formatTimestamp(records[i].time));
    json->set("viewer", records[i].viewer);
    json->set("kind", accessRecordKind(records[i].kind));
    json->set("what", records[i].filter);
    json->set("rows", records[i].rows);
    entries->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("offset", offset);
  answer.set("more", records.size() > kPageSize);
  answer.set("records", entries);
  request.response.set("Cache-Control", "no-store");
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
