// Who may call which console route: every route declares its roles, a route that declares
// none is refused, and a signed-in user whose role a route does not name gets 403. Real
// router, real ConsoleAuth and ConsoleApi over a real SQLite file; requests are handed to the
// router as the HTTPS server hands them.
#include "collector/http/console_api.hpp"

#include "collector/http/json_io.hpp"
#include "tests/unit/collector/test_storage.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

const std::string kPassword = "a long enough password";

class ConsoleRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    addUser("alice", {"manager"});
    addUser("tess", {"trustee"});
    addUser("wendy", {"trustee", "worker"});
    // A role this collector does not know (a newer collector's, say): it reaches nothing.
    addUser("carl", {"caretaker"});
  }

  void addUser(const std::string& name, std::vector<std::string> roles) {
    (void)stores().accounts.createUser({.username = name,
                                        .roles = std::move(roles),
                                        .passwordHash = testing::cheapPasswordHash(kPassword),
                                        .mustChangePassword = false},
                                       {});
  }

  struct SignedIn {
    std::string cookie;
    std::string csrfToken;
  };

  SignedIn signIn(const std::string& username) {
    const auto result = auth_.login(username, kPassword, "127.0.0.1", common::nowUtc());
    if (result.outcome != LoginOutcome::Success) throw std::logic_error("cannot sign in");
    return {result.sessionCookie, result.csrfToken};
  }

  int call(const std::string& method, const std::string& path, const SignedIn& user) {
    ServerRequest request(Poco::Net::SocketAddress("127.0.0.1", 40000));
    request.setMethod(method);
    request.setURI(path);
    request.setHost("127.0.0.1:8443");
    request.set("Cookie", "__Host-clubsafe_session=" + user.cookie);
    if (method == "POST") {
      request.setContentType("application/json");
      request.set("X-CSRF-Token", user.csrfToken);
      request.setBody("{}");
    }
    ServerResponse response;
    router_.dispatch(request, response);
    return response.getStatus();
  }

  const Stores& stores() { return test_.stores; }

  testing::TestStorage test_;
  ConsoleAuth auth_{test_.stores.accounts, ConsoleAuthSettings{}};
  Router router_;
};

TEST_F(ConsoleRolesTest, ARouteUnderTheConsoleApiWithoutADeclaredRoleIsRefused) {
  const Handler handler = [](Request& request) { sendNoContent(request.response); };
  EXPECT_THROW(router_.add("GET", "/api/console/reports", handler), std::logic_error);
  EXPECT_THROW(router_.add("POST", "/api/console/devices/{}/wipe", handler), std::logic_error);
  // Outside the console API a route declares nothing (the device API checks devices itself).
  EXPECT_NO_THROW(router_.add("GET", "/api/device/v1/policy", handler));
}

TEST_F(ConsoleRolesTest, ARouteAnswersOnlyTheRolesItDeclares) {
  int calls = 0;
  ConsoleRoutes routes(router_, auth_);
  routes.add({.method = "GET",
              .path = "reports",
              .roles = Roles(Role::Manager),
              .access = Access::Read,
              .handler = [&calls](Request& request, const AuthenticatedSession&) {
                ++calls;
                sendNoContent(request.response);
              }});

  EXPECT_EQ(call("GET", "/api/console/reports", signIn("alice")), 204);
  EXPECT_EQ(call("GET", "/api/console/reports", signIn("tess")), 403);
  EXPECT_EQ(call("GET", "/api/console/reports", SignedIn{}), 401);
  EXPECT_EQ(calls, 1);
}

TEST_F(ConsoleRolesTest, AUserWithSeveralRolesReachesWhatAnyOfThemReaches) {
  ConsoleRoutes routes(router_, auth_);
  const auto ok = [](Request& request, const AuthenticatedSession&) {
    sendNoContent(request.response);
  };
  routes.add({.method = "GET",
              .path = "now",
              .roles = Roles(Role::Worker),
              .access = Access::Read,
              .handler = ok});
  routes.add({.method = "GET",
              .path = "signed",
              .roles = Roles(Role::Trustee),
              .access = Access::Read,
              .handler = ok});
  const auto wendy = signIn("wendy");
  EXPECT_EQ(call("GET", "/api/console/now", wendy), 204);
  EXPECT_EQ(call("GET", "/api/console/signed", wendy), 204);
  EXPECT_EQ(call("GET", "/api/console/now", signIn("tess")), 403);
  EXPECT_EQ(call("GET", "/api/console/signed", signIn("carl")), 403);
}

TEST_F(ConsoleRolesTest, RoleNamesAreReadDenyingWhatIsNotKnown) {
  const Roles managers(Role::Manager);
  EXPECT_TRUE(managers.allows("manager"));
  EXPECT_FALSE(managers.allows("trustee"));
  EXPECT_FALSE(managers.allows("Manager"));
  EXPECT_FALSE(managers.allows(""));
  for (const auto role : kAllRoles) EXPECT_EQ(parseRole(roleName(role)), role);
  EXPECT_EQ(parseRole("dsl"), Role::Dsl);
  EXPECT_EQ(parseRole("DSL"), std::nullopt);
  EXPECT_EQ(parseRole("caretaker"), std::nullopt);
  EXPECT_EQ(Roles::everyone().list().size(), kAllRoles.size());
  const std::vector<std::string> unknownOnly{"caretaker", ""};
  EXPECT_FALSE(Roles::everyone().allowsAny(unknownOnly));
}

// The real console API: a signed-in user whose only role this collector does not know reaches
// nothing, reading or changing, and changes nothing; a manager reaches the same routes. (Every
// route and every role against the real collector: tests/integration/role_matrix_test.cpp.)
TEST_F(ConsoleRolesTest, EveryConsoleRouteRefusesARoleItDoesNotName) {
  FilteringService filtering(stores().filtering, test_.directory.path() / "index");
  DeviceAuth deviceAuth(stores().devices);
  ReviewService review(stores().review, filtering);
  SubscriptionService subscriptions(stores().subscriptions, stores().filtering, filtering);
  ConsoleApi api(stores(), auth_, deviceAuth, filtering, review, subscriptions,
                 ConsoleApiSettings{});
  api.addRoutes(router_);
  const auto carl = signIn("carl");
  const auto alice = signIn("alice");

  for (const auto* path :
       {"/api/console/session", "/api/console/devices", "/api/console/server",
        "/api/console/enrolment-tokens", "/api/console/filtering/categories",
        "/api/console/filtering/profiles", "/api/console/notice", "/api/console/workers",
        "/api/console/review", "/api/console/review/decisions",
        "/api/console/filtering/subscriptions"}) {
    EXPECT_EQ(call("GET", path, carl), 403) << path;
    EXPECT_EQ(call("GET", path, alice), 200) << path;
  }
  for (const auto* path :
       {"/api/console/enrolment-tokens", "/api/console/devices/dev_a/revoke",
        "/api/console/workers/1/delete", "/api/console/filtering/default-profile",
        "/api/console/review/decisions", "/api/console/filtering/subscriptions",
        "/api/console/filtering/subscriptions/1/refresh", "/api/console/password",
        "/api/console/logout"}) {
    EXPECT_EQ(call("POST", path, carl), 403) << path;
  }
  EXPECT_TRUE(stores().devices.listEnrolmentTokens().empty());
  EXPECT_EQ(call("POST", "/api/console/enrolment-tokens", alice), 201);
}

}  // namespace
}  // namespace clubsafe::collector
