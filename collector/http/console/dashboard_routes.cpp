#include "collector/http/console/dashboard_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/json_io.hpp"
#include "collector/report/report_period.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

namespace clubsafe::collector {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// How many sites and apps each top list holds.
constexpr std::size_t kTopEntries = 10;
// "In use now": an event within this long before now.
constexpr std::chrono::minutes kInUseWindow{10};
// The review requests listed as waiting, and how many of the period's newest are looked at for
// them (the queue itself is the filtering review's page).
constexpr std::size_t kWaitingRequests = 5;
constexpr std::size_t kRequestsLookedAt = 200;

std::string queryValue(const Request& request, const std::string& name) {
  try {
    for (const auto& [key, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
      if (key == name) return value;
    }
  } catch (const Poco::Exception&) {
    throw ApiError(400, "The dashboard's period is not a readable query string.");
  }
  return {};
}

std::string dayText(std::chrono::local_days day) {
  const std::chrono::year_month_day date(day);
  const auto two = [](unsigned value) { return (value < 10 ? "0" : "") + std::to_string(value); };
  return std::to_string(static_cast<int>(date.year())) + "-" +
         two(static_cast<unsigned>(date.month())) + "-" + two(static_cast<unsigned>(date.day()));
}

// The failures a laptop sent, kept as JSON text; anything unreadable is shown as none.
Array::Ptr failuresOf(const std::string& stored) {
  try {
    const auto parsed = Poco::JSON::Parser().parse(stored);
    if (parsed.type() == typeid(Array::Ptr)) return parsed.extract<Array::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return new Array;
}

Object::Ptr laptopJson(const DashboardLaptop& laptop) {
  Object::Ptr json = new Object;
  json->set("device_id", laptop.deviceId);
  json->set("name", laptop.name);
  json->set("revoked", laptop.revoked);
  json->set("last_contact", optionalTime(laptop.lastContact));
  json->set("agent_version", laptop.agentVersion);
  json->set("backlog", laptop.backlog);
  json->set("events_dropped", laptop.eventsDropped);
  json->set("events_rejected", laptop.eventsRejected);
  json->set("hours_reporting", laptop.hoursReporting);
  json->set("silent_open_hours", laptop.silentOpenHours);
  json->set("hours_used_while_closed", laptop.hoursUsedWhileClosed);
  if (laptop.latestSelfTest) {
    Object::Ptr test = new Object;
    test->set("at", common::formatTimestamp(laptop.latestSelfTest->at));
    test->set("passed", laptop.latestSelfTest->passed);
    test->set("failures", failuresOf(laptop.latestSelfTest->failures));
    json->set("self_test", test);
  } else {
    json->set("self_test", Poco::Dynamic::Var());
  }
  return json;
}

Array::Ptr countsJson(const std::vector<NamedCount>& counts, const std::string& nameKey,
                      const std::string& countKey, bool withCategory) {
  Array::Ptr array = new Array;
  for (const auto& count : counts) {
    Object::Ptr json = new Object;
    json->set(nameKey, count.name);
    if (withCategory) json->set("category", count.category);
    json->set(countKey, count.count);
    array->add(json);
  }
  return array;
}

Object::Ptr totalsJson(const DashboardFigures& figures) {
  Object::Ptr json = new Object;
  json->set("logins", figures.logins);
  json->set("sign_ins", figures.signIns);
  json->set("notices_acknowledged", figures.noticesAcknowledged);
  json->set("notices_not_acknowledged", figures.noticesNotAcknowledged);
  json->set("searches", figures.searches);
  json->set("visits", figures.visits);
  json->set("overrides", figures.overrides);
  json->set("review_requests", figures.reviewRequests);
  json->set("tamper", figures.tamper);
  json->set("alerts", figures.alerts);
  return json;
}

Array::Ptr weeksJson(const std::vector<WeekFigures>& weeks) {
  Array::Ptr array = new Array;
  for (const auto& week : weeks) {
    Object::Ptr json = new Object;
    json->set("monday", dayText(week.monday));
    json->set("blocked", week.blocked);
    json->set("allowed", week.allowed);
    json->set("app_seconds", week.appSeconds);
    json->set("logins", week.logins);
    json->set("sign_ins", week.signIns);
    array->add(json);
  }
  return array;
}

// The period's newest review requests asked after the last decision on their site (as the
// review queue counts them waiting).
Array::Ptr waitingRequestsJson(ReviewStore& reviews, Timestamp from, Timestamp to) {
  const auto decided = reviews.latestDecisions();
  Array::Ptr array = new Array;
  for (const auto& request : reviews.reviewRequests(from, to, kRequestsLookedAt)) {
    const auto decision = decided.find(request.domain);
    if (decision != decided.end() && request.time <= decision->second) continue;
    Object::Ptr json = new Object;
    json->set("at", common::formatTimestamp(request.time));
    json->set("site", request.domain);
    json->set("category", request.category);
    json->set("laptop", request.laptop);
    json->set("member", request.member);
    array->add(json);
    if (array->size() == kWaitingRequests) break;
  }
  return array;
}

Object::Ptr laptopNowJson(const LaptopNow& laptop) {
  Object::Ptr json = new Object;
  json->set("device_id", laptop.deviceId);
  json->set("name", laptop.name);
  json->set("last_event_at", common::formatTimestamp(laptop.lastEventAt));
  json->set("member", laptop.member);
  json->set("os_user", laptop.osUser);
  json->set("app", laptop.app);
  json->set("app_at", optionalTime(laptop.appAt));
  Array::Ptr blocks = new Array;
  for (const auto& block : laptop.recentBlocks) {
    Object::Ptr entry = new Object;
    entry->set("minute", common::formatTimestamp(block.minute));
    entry->set("site", block.domain);
    entry->set("category", block.category);
    entry->set("count", block.count);
    blocks->add(entry);
  }
  json->set("recent_blocks", blocks);
  return json;
}

}  // namespace

void DashboardRoutes::addTo(ConsoleRoutes& routes) {
  routes.add({.method = "GET",
              .path = "dashboard",
              // Counts and laptops, no person's name: a summary for trustees, and the DSL's
              // count of alerts.
              .roles = Roles(Role::Manager, Role::Dsl, Role::Trustee),
              .access = Access::Read,
              .handler = handlerOf(this, &DashboardRoutes::dashboard)});
  routes.add({.method = "GET",
              .path = "in-use-now",
              // For the youth worker supervising the session.
              .roles = Roles(Role::Manager, Role::Worker),
              .access = Access::Read,
              .handler = handlerOf(this, &DashboardRoutes::inUseNow)});
}

void DashboardRoutes::dashboard(Request& request, const AuthenticatedSession& session) {
  const auto firstDay = queryValue(request, "from");
  const auto lastDay = queryValue(request, "to");
  ReportPeriod period;
  try {
    period = parseReportPeriod(firstDay, lastDay, clubTime_);
  } catch (const std::invalid_argument& error) {
    throw ApiError(400, error.what());
  }
  const auto figures = readModel_.dashboard(clubTime_, period.from, period.to, kTopEntries);
  Object body;
  body.set("first_day", firstDay);
  body.set("last_day", lastDay);
  body.set("from", common::formatTimestamp(figures.from));
  body.set("to", common::formatTimestamp(figures.to));
  body.set("timezone", clubTime_.zoneName());
  body.set("opening_hours_set", clubTime_.hasOpeningHours());
  body.set("open_hours", figures.openHours);
  Array::Ptr laptops = new Array;
  for (const auto& laptop : figures.laptops) laptops->add(laptopJson(laptop));
  body.set("laptops", laptops);
  body.set("blocked_by_category",
           countsJson(figures.blockedByCategory, "category", "count", false));
  body.set("top_blocked_sites", countsJson(figures.topBlockedSites, "site", "count", true));
  body.set("top_allowed_sites", countsJson(figures.topAllowedSites, "site", "count", false));
  body.set("top_apps", countsJson(figures.topApps, "app", "seconds", false));
  body.set("totals", totalsJson(figures));
  body.set("weeks", weeksJson(figures.weeks));
  // Who asked names a person: only for those who may open the review queue (its routes' role).
  if (session.user.hasRole(roleName(Role::Manager))) {
    body.set("review_requests_waiting", waitingRequestsJson(reviews_, period.from, period.to));
  }
  sendJson(request.response, 200, body);
}

void DashboardRoutes::inUseNow(Request& request, const AuthenticatedSession&) {
  const auto now = common::nowUtc();
  Array::Ptr laptops = new Array;
  for (const auto& laptop : readModel_.inUseNow(now, kInUseWindow)) {
    laptops->add(laptopNowJson(laptop));
  }
  Object body;
  body.set("now", common::formatTimestamp(now));
  body.set("window_minutes", static_cast<Poco::Int64>(kInUseWindow.count()));
  body.set("laptops", laptops);
  sendJson(request.response, 200, body);
}

}  // namespace clubsafe::collector
