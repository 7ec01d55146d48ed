#include "collector/http/console/review_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <charconv>

namespace clubsafe::collector {
namespace {

constexpr int kDefaultDays = 7;
constexpr int kMaxDays = 366;

Poco::JSON::Array::Ptr stringsJson(const std::vector<std::string>& values) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto& value : values) array->add(value);
  return array;
}

// The queue's period: the last `days` days (?days=, 1 to 366, 7 unless given).
int periodDays(const Request& request) {
  for (const auto& [name, value] : Poco::URI(request.http.getURI()).getQueryParameters()) {
    if (name != "days") continue;
    int days = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), days);
    if (error != std::errc() || end != value.data() + value.size() || days < 1 || days > kMaxDays) {
      throw ApiError(400, "Choose a period of 1 to " + std::to_string(kMaxDays) + " days.");
    }
    return days;
  }
  return kDefaultDays;
}

Poco::JSON::Object::Ptr itemJson(const review::QueueItem& item) {
  Poco::JSON::Array::Ptr requests = new Poco::JSON::Array;
  for (const auto& asked : item.requests) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("time", common::formatTimestamp(asked.time));
    json->set("laptop", asked.laptop);
    json->set("member", asked.member);
    json->set("profile", asked.profile);
    json->set("message", asked.message);
    json->set("count", asked.count);
    requests->add(json);
  }
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("domain", item.domain);
  json->set("categories", stringsJson(item.categories));
  json->set("blocked_attempts", item.attempts);
  json->set("laptops", stringsJson(item.laptops));
  json->set("profiles", stringsJson(item.profiles));
  json->set("requests", requests);
  json->set("decided_at", optionalTime(item.decidedAt));
  return json;
}

Poco::JSON::Object::Ptr decisionJson(const ReviewDecision& decision) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", decision.id);
  json->set("decided_at", common::formatTimestamp(decision.decidedAt));
  json->set("decided_by", decision.decidedBy);
  json->set("domain", decision.domain);
  json->set("category", decision.category);
  json->set("decision", decision.verdict == ReviewVerdict::Allow ? "allow" : "keep_blocked");
  json->set("profile", decision.scope == kAllProfiles ? std::string("all") : decision.scope);
  json->set("until", optionalTime(decision.until));
  json->set("profiles_changed", stringsJson(decision.holds));
  json->set("reason", decision.reason);
  json->set("policy_version", decision.policyVersion ? Poco::Dynamic::Var(*decision.policyVersion)
                                                     : Poco::Dynamic::Var());
  json->set("ended_at", optionalTime(decision.endedAt));
  return json;
}

// {"domain", "category"?, "decision": "allow" | "keep_blocked", "profile": id | "all",
//  "minutes"?: an allow's time (none: for good), "reason"}
DecisionInput decisionFromBody(const Poco::JSON::Object& body) {
  DecisionInput input;
  input.site = requireString(body, "domain", 300);
  input.category = optionalString(body, "category", 100);
  const auto decision = requireString(body, "decision", 20);
  if (decision != "allow" && decision != "keep_blocked") {
    throw ApiError(400, "Choose whether to allow the site or keep it blocked.");
  }
  input.verdict = decision == "allow" ? ReviewVerdict::Allow : ReviewVerdict::KeepBlocked;
  const auto profile = optionalString(body, "profile", 100);
  input.scope = profile.empty() || profile == "all" ? std::string(kAllProfiles) : profile;
  if (body.has("minutes") && !body.isNull("minutes")) {
    const auto minutes = body.get("minutes");
    if (!minutes.isInteger()) {
      throw ApiError(400, "The field \"minutes\" must be a whole number of minutes.");
    }
    input.duration = std::chrono::minutes(minutes.convert<std::int64_t>());
  }
  return input;
}

}  // namespace

void ReviewRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "review",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &ReviewRoutes::queue)});
  routes.add({.method = "POST",
              .path = "review/decisions",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &ReviewRoutes::decide)});
  routes.add({.method = "GET",
              .path = "review/decisions",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &ReviewRoutes::decisions)});
}

void ReviewRoutes::queue(Request& request, const AuthenticatedSession&) {
  const auto days = periodDays(request);
  const auto to = common::nowUtc();
  const auto from = to - std::chrono::days(days);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& item : review_.queue(from, to)) items->add(itemJson(item));
  Poco::JSON::Object answer;
  answer.set("days", days);
  answer.set("from", common::formatTimestamp(from));
  answer.set("to", common::formatTimestamp(to));
  answer.set("items", items);
  sendJson(request.response, 200, answer);
}

void ReviewRoutes::decide(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto input = decisionFromBody(*body);
  ReviewDecision decision;
  applyFilteringChange(
      [&] { decision = review_.decide(input, changeAuthor(*body, session), common::nowUtc()); });
  sendJson(request.response, 201, *decisionJson(decision));
}

void ReviewRoutes::decisions(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr decisions = new Poco::JSON::Array;
  for (const auto& decision : store_.listDecisions(ReviewService::kMaxListedDecisions)) {
    decisions->add(decisionJson(decision));
  }
  Poco::JSON::Object answer;
  answer.set("decisions", decisions);
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
