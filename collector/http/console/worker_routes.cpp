#include "collector/http/console/worker_routes.hpp"

#include "collector/http/console/console_http.hpp"
#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {

void WorkerRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "workers",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &WorkerRoutes::list)});
  routes.add({.method = "POST",
              .path = "workers",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &WorkerRoutes::add)});
  routes.add({.method = "POST",
              .path = "workers/{}/delete",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &WorkerRoutes::remove)});
}

void WorkerRoutes::list(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr workers = new Poco::JSON::Array;
  // Never the PIN's hash: it is for the laptops, not for whoever can read the console.
  for (const auto& worker : store_.listWorkers()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", worker.id);
    json->set("name", worker.name);
    json->set("created_at", common::formatTimestamp(worker.createdAt));
    json->set("created_by", worker.createdBy);
    workers->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", store_.currentPolicy().version);
  answer.set("workers", workers);
  sendJson(request.response, 200, answer);
}

void WorkerRoutes::add(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto name = requireString(*body, "name", 200);
  const auto pin = requireString(*body, "pin", 100);
  std::int64_t id = 0;
  applyFilteringChange([&] { id = filtering_.addWorker(name, pin, changeAuthor(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("policy_version", store_.currentPolicy().version);
  sendJson(request.response, 201, answer);
}

void WorkerRoutes::remove(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { filtering_.deleteWorker(id, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 200);
}

}  // namespace clubsafe::collector
