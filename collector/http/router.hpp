#pragma once

#include "collector/http/console/roles.hpp"
#include "collector/http/server/http_exchange.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

struct Request {
  ServerRequest& http;
  ServerResponse& response;
  std::vector<std::string> pathParameters;  // the "{}" segments of the route, in order
  // Who the route declares it is for; null for routes outside the console API.
  const RouteAccess* access = nullptr;
};

using Handler = std::function<void(Request&)>;

// A route as it was added: for tests and tools that must see every route the router has.
struct RouteListing {
  std::string method;
  std::string pattern;                // as given to add(), e.g. "/api/console/devices/{}/revoke"
  std::optional<RouteAccess> access;  // nullopt outside the console API
};

// Maps method and path to a handler, and is the one place where handler exceptions become
// HTTP answers: ApiError → its status and message; anything else → 500, logged, with a
// message that gives nothing away.
class Router {
 public:
  // What a route accepts as a body unless it says otherwise: a JSON form.
  static constexpr std::size_t kSmallBody = 16 * 1024;

  // Where the console API lives: every route under it must declare who may call it.
  static constexpr std::string_view kConsolePrefix = "/api/console/";

  // `pattern` is an absolute path whose segments are literal or "{}" (any one segment). The
  // server refuses a body over `maxBodyBytes` (413) before reading it, so handlers never see one.
  // A route under kConsolePrefix without `access` throws std::logic_error: the collector does
  // not start with a console route that says nothing about who may call it.
  void add(const std::string& method, const std::string& pattern, Handler handler,
           std::size_t maxBodyBytes = kSmallBody, std::optional<RouteAccess> access = std::nullopt);
  // Serves GET requests no route matched (the console's files).
  void setFallback(Handler handler) { fallback_ = std::move(handler); }

  void dispatch(ServerRequest& request, ServerResponse& response) const;
  // The largest body the route of `request` accepts (kSmallBody where no route matches).
  [[nodiscard]] std::size_t bodyLimit(const Poco::Net::HTTPRequest& request) const;
  // Every route, in the order added.
  [[nodiscard]] std::vector<RouteListing> listRoutes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t maxBodyBytes;
    std::optional<RouteAccess> access;
  };
  void route(Request& request) const;
  [[nodiscard]] const Route* find(const std::string& method, const std::vector<std::string>& path,
                                  std::vector<std::string>& parameters, bool& pathKnown) const;

  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace clubsafe::collector
