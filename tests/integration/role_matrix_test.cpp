// Who may call what (SPEC C4), proved against the real collector: every route the collector's
// router holds, listed by the router itself (Router::listRoutes), called as a manager, a DSL, a
// youth worker, a trustee, a worker who is also a trustee, and someone not signed in. A route
// answers 403 to exactly the roles it does not declare and 401 to no session; and what it
// declares is checked against the policy below, in which every console route is for managers
// alone unless it is named.
#include "collector/auth/console_auth.hpp"
#include "collector/auth/device_auth.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console_api.hpp"
#include "collector/http/device_api.hpp"
#include "collector/review/review_service.hpp"
#include "collector/storage/sqlite_stores.hpp"
#include "collector/subscriptions/subscription_service.hpp"
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace clubsafe::testing {
namespace {

using collector::Role;
using collector::RouteListing;

// The console routes some role besides the manager's reaches, and every role that reaches them.
// Any other console route is for managers alone: a new route for anyone else must be named here.
const std::map<std::string, std::set<Role>> kReachedByMoreThanManagers = {
    {"POST /api/console/logout", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    {"GET /api/console/session", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    {"POST /api/console/password", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    // One's own two-step sign-in: its state, setting it up, new recovery codes.
    {"GET /api/console/two-step", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    {"POST /api/console/two-step/start", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    {"POST /api/console/two-step/confirm", {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    {"POST /api/console/two-step/recovery-codes",
     {Role::Manager, Role::Dsl, Role::Worker, Role::Trustee}},
    // Counts and laptops, no names: a summary for trustees and the DSL's count of alerts.
    {"GET /api/console/dashboard", {Role::Manager, Role::Dsl, Role::Trustee}},
    // The categories' names in English, for the dashboard's readers.
    {"GET /api/console/filtering/categories", {Role::Manager, Role::Dsl, Role::Trustee}},
    // Who is on which laptop now, for the worker supervising the session.
    {"GET /api/console/in-use-now", {Role::Manager, Role::Worker}},
    // The member register: workers add young people at the door.
    {"GET /api/console/members", {Role::Manager, Role::Worker}},
    {"POST /api/console/members", {Role::Manager, Role::Worker}},
    {"POST /api/console/members/{}/delete", {Role::Manager, Role::Worker}},
    // Signed-off reports, which the manager shows the trustees.
    {"GET /api/console/report/sign-offs", {Role::Manager, Role::Trustee}},
    {"GET /api/console/report/sign-offs/{}/pdf", {Role::Manager, Role::Trustee}},
    {"GET /api/console/report/sign-offs/{}/json", {Role::Manager, Role::Trustee}},
    // The incident log: the DSL's alone; a manager sees how many are open and closed.
    {"GET /api/console/incidents", {Role::Dsl}},
    {"GET /api/console/incidents/counts", {Role::Manager, Role::Dsl}},
    {"POST /api/console/incidents", {Role::Dsl}},
    {"GET /api/console/incidents/{}", {Role::Dsl}},
    {"GET /api/console/incidents/{}/summary.pdf", {Role::Dsl}},
    {"POST /api/console/incidents/{}/involved", {Role::Dsl}},
    {"POST /api/console/incidents/{}/entries", {Role::Dsl}},
    {"POST /api/console/incidents/{}/actions", {Role::Dsl}},
    {"POST /api/console/incidents/{}/sharing", {Role::Dsl}},
    {"POST /api/console/incidents/{}/close", {Role::Dsl}},
    {"POST /api/console/incidents/{}/release-hold", {Role::Dsl}},
    // The DSL's alert queue and the access log: safeguarding detail is the DSL's alone.
    {"GET /api/console/alerts", {Role::Dsl}},
    {"GET /api/console/alerts/false-positives", {Role::Dsl}},
    {"GET /api/console/alerts/{}", {Role::Dsl}},
    {"POST /api/console/alerts/{}/acknowledge", {Role::Dsl}},
    {"POST /api/console/alerts/{}/assign", {Role::Dsl}},
    {"POST /api/console/alerts/{}/close", {Role::Dsl}},
    {"POST /api/console/alerts/{}/reopen", {Role::Dsl}},
    {"GET /api/console/access-log", {Role::Dsl}},
    // Whether alert e-mails are going out: the DSLs rely on them as much as the managers do.
    {"GET /api/console/mail-status", {Role::Manager, Role::Dsl}},
    // Workers' own unlocks (a manager sees everyone's).
    {"GET /api/console/unlocks", {Role::Manager, Role::Worker}},
};

// The routes of a collector built as clubsafe-collector builds its own (collector_application's
// serve()): the device API and the console API on one router, over a scratch database.
std::vector<RouteListing> collectorRoutes(const TempDir& dir) {
  collector::SqliteStores sqlite(dir.file("routes.db"));
  const auto& stores = sqlite.stores();
  collector::ConsoleAuth consoleAuth(stores.accounts, {});
  collector::DeviceAuth deviceAuth(stores.devices);
  collector::FilteringService filtering(stores.filtering, dir.file("routes-index"));
  collector::ReviewService review(stores.review, filtering);
  collector::SubscriptionService subscriptions(stores.subscriptions, stores.filtering, filtering);
  collector::Router router;
  collector::DeviceApi deviceApi(stores.devices, stores.events, stores.filtering, deviceAuth, {},
                                 dir.file("routes-index"));
  deviceApi.addRoutes(router);
  collector::ConsoleApi consoleApi(stores, consoleAuth, deviceAuth, filtering, review,
                                   subscriptions, {});
  consoleApi.addRoutes(router);
  auto routes = router.listRoutes();
  // Signing out ends the session the other calls use, so it goes last.
  std::ranges::stable_partition(
      routes, [](const RouteListing& route) { return route.pattern != "/api/console/logout"; });
  return routes;
}

// The route's address with every "{}" filled by an id nothing has, so a change finds nothing.
std::string addressOf(const RouteListing& route) {
  std::string path = route.pattern;
  for (auto at = path.find("{}"); at != std::string::npos; at = path.find("{}")) {
    path.replace(at, 2, "999999");
  }
  return path;
}

struct Caller {
  std::string name;
  std::vector<std::string> roles;  // empty: not signed in
  std::optional<ConsoleClient> client;
};

HttpResult call(const Caller& caller, const RouteListing& route, std::uint16_t port) {
  const auto path = addressOf(route);
  if (!caller.client) {
    return httpsRequest(port, route.method, path, route.method == "POST" ? "{}" : "");
  }
  return route.method == "POST" ? caller.client->post(path) : caller.client->get(path);
}

class RoleMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    callers_.push_back({"manager", {"manager"}, ConsoleClient(collector_)});
    for (const auto& [name, roles] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"dee", {"dsl"}},
             {"will", {"worker"}},
             {"tess", {"trustee"}},
             {"wendy", {"trustee", "worker"}}}) {
      callers_.push_back({name, roles, signInAsNewUser(name, roles)});
    }
    callers_.push_back({"nobody", {}, std::nullopt});
  }

  // A user the manager adds through the console API, signed in with their one-time password.
  ConsoleClient signInAsNewUser(const std::string& name, const std::vector<std::string>& roles) {
    Poco::JSON::Object user;
    user.set("username", name);
    Poco::JSON::Array list;
    for (const auto& role : roles) list.add(role);
    user.set("roles", list);
    const auto added = callers_.front().client->post("/api/console/users", toJson(user));
    if (added.status != 201) throw std::runtime_error("adding " + name + ": " + added.body);
    return ConsoleClient(collector_, name,
                         parseObject(added.body)->getValue<std::string>("one_time_password"));
  }

  TempDir dir_;
  Collector collector_{dir_,
                       {"auth.sign_in_burst=10000", "auth.sign_in_attempts_per_minute=10000"}};
  std::vector<Caller> callers_;
};

TEST_F(RoleMatrixTest, EveryRouteAnswersEachRoleAsItsDeclarationAndThePolicySay) {
  const auto routes = collectorRoutes(dir_);
  std::set<std::string> consoleRoutes;
  int checked = 0;
  for (const auto& route : routes) {
    const auto key = route.method + " " + route.pattern;
    SCOPED_TRACE(key);
    const bool console = route.pattern.starts_with("/api/console/");
    ASSERT_EQ(console, route.access.has_value()) << "a console route declares who may call it";
    if (console) consoleRoutes.insert(key);

    std::set<Role> declared;
    if (route.access && route.access->roles()) {
      for (const auto role : route.access->roles()->list()) declared.insert(role);
      const auto policy = kReachedByMoreThanManagers.find(key);
      EXPECT_EQ(declared, policy == kReachedByMoreThanManagers.end() ? std::set{Role::Manager}
                                                                     : policy->second);
    }
    for (const auto& caller : callers_) {
      const auto answer = call(caller, route, collector_.port());
      SCOPED_TRACE(caller.name + " got " + std::to_string(answer.status) + ": " + answer.body);
      ++checked;
      if (!console) {
        // The device API: a console session is no laptop's credential.
        EXPECT_TRUE(answer.status == 400 || answer.status == 401);
      } else if (!route.access->roles()) {
        EXPECT_EQ(answer.status, 400);  // sign-in, anyone: the empty form is refused as such
      } else if (!caller.client) {
        EXPECT_EQ(answer.status, 401);
      } else if (route.access->allowsAny(caller.roles)) {
        EXPECT_NE(answer.status, 401);
        EXPECT_NE(answer.status, 403);
        EXPECT_LT(answer.status, 500);
      } else {
        EXPECT_EQ(answer.status, 403);
      }
    }
  }
  for (const auto& [key, roles] : kReachedByMoreThanManagers) {
    EXPECT_TRUE(consoleRoutes.contains(key)) << key << " is in the policy but not in the router";
  }
  EXPECT_GT(consoleRoutes.size(), 40U);
  std::cout << routes.size() << " routes (" << consoleRoutes.size() << " console) x "
            << callers_.size() << " callers: " << checked << " answers checked\n";
}

}  // namespace
}  // namespace clubsafe::testing
