#include "collector/http/console/subscription_routes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/console/console_http.hpp"
#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {
namespace {

Poco::JSON::Object::Ptr subscriptionJson(const SubscriptionRecord& subscription) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", subscription.id);
  json->set("url", subscription.url);
  json->set("format", subscription.format);
  json->set("category", subscription.category);
  json->set("source", subscription.source);
  json->set("refresh_hours", subscription.refreshHours);
  json->set("max_bytes", subscription.maxBytes);
  json->set("created_by", subscription.createdBy);
  json->set("created_at", common::formatTimestamp(subscription.createdAt));
  json->set("sha256", subscription.sha256);
  json->set("checked_at", optionalTime(subscription.checkedAt));
  json->set("succeeded_at", optionalTime(subscription.succeededAt));
  json->set("changed_at", optionalTime(subscription.changedAt));
  json->set("failing", !subscription.failure.empty());
  json->set("failure", subscription.failure);
  json->set("failing_since", optionalTime(subscription.failingSince));
  return json;
}

}  // namespace

void SubscriptionRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "filtering/subscriptions",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &SubscriptionRoutes::list)});
  routes.add({.method = "POST",
              .path = "filtering/subscriptions",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &SubscriptionRoutes::add)});
  routes.add({.method = "POST",
              .path = "filtering/subscriptions/{}/refresh",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &SubscriptionRoutes::refresh)});
  routes.add({.method = "POST",
              .path = "filtering/subscriptions/{}/delete",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &SubscriptionRoutes::remove)});
}

void SubscriptionRoutes::list(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr subscriptions = new Poco::JSON::Array;
  std::int64_t failing = 0;
  for (const auto& subscription : store_.listSubscriptions()) {
    if (!subscription.failure.empty()) ++failing;
    subscriptions->add(subscriptionJson(subscription));
  }
  Poco::JSON::Object answer;
  answer.set("failing", failing);
  answer.set("subscriptions", subscriptions);
  sendJson(request.response, 200, answer);
}

void SubscriptionRoutes::add(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  NewSubscription subscription;
  subscription.url = requireString(*body, "url", 2000);
  subscription.format = requireString(*body, "format", 20);
  subscription.category = requireString(*body, "category", 100);
  if (body->has("refresh_hours")) {
    const auto hours = body->get("refresh_hours");
    if (!hours.isInteger()) {
      throw ApiError(400, "The field \"refresh_hours\" must be a whole number of hours.");
    }
    subscription.refreshHours = hours.convert<std::int64_t>();
  }
  std::int64_t id = 0;
  applyFilteringChange([&] {
    id = subscriptions_.subscribe(subscription, changeAuthor(*body, session), common::nowUtc());
  });
  Poco::JSON::Object answer;
  answer.set("id", id);
  sendJson(request.response, 201, answer);
}

void SubscriptionRoutes::refresh(Request& request, const AuthenticatedSession&) {
  const auto id = idParameter(request);
  SubscriptionRecord after;
  applyFilteringChange([&] { after = subscriptions_.refresh(id, common::nowUtc()); });
  sendJson(request.response, 200, *subscriptionJson(after));
}

void SubscriptionRoutes::remove(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { subscriptions_.unsubscribe(id, changeAuthor(*body, session)); });
  sendNoContent(request.response);
}

}  // namespace clubsafe::collector
