#include "collector/http/router.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"

#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

constexpr const char* kAnySegment = "{}";

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> segments;
  Poco::StringTokenizer tokens(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  segments.assign(tokens.begin(), tokens.end());
  return segments;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::vector<std::string>& parameters) {
  if (pattern.size() != path.size()) return false;
  parameters.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == kAnySegment) {
      parameters.push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

void addSecurityHeaders(ServerResponse& response) {
  response.set("Strict-Transport-Security", "max-age=31536000");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
               "form-action 'self'; base-uri 'none'");
  response.set("Cache-Control", "no-store");
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Handler handler,
                 std::size_t maxBodyBytes, std::optional<RouteAccess> access) {
  if (pattern.starts_with(kConsolePrefix) && !access) {
    throw std::logic_error("The console route " + method + " " + pattern +
                           " declares no role that may call it; add it through ConsoleRoutes.");
  }
  routes_.push_back({method, splitPath(pattern), std::move(handler), maxBodyBytes, access});
}

const Router::Route* Router::find(const std::string& method, const std::vector<std::string>& path,
                                  std::vector<std::string>& parameters, bool& pathKnown) const {
  pathKnown = false;
  for (const auto& route : routes_) {
    if (!matches(route.segments, path, parameters)) continue;
    pathKnown = true;
    if (route.method == method) return &route;
  }
  return nullptr;
}

std::size_t Router::bodyLimit(const Poco::Net::HTTPRequest& request) const {
  std::vector<std::string> parameters;
  bool pathKnown = false;
  try {
    const auto* route = find(request.getMethod(), splitPath(Poco::URI(request.getURI()).getPath()),
                             parameters, pathKnown);
    return route != nullptr ? route->maxBodyBytes : kSmallBody;
  } catch (const Poco::SyntaxException&) {
    return kSmallBody;  // dispatch answers 400
  }
}

std::vector<RouteListing> Router::listRoutes() const {
  std::vector<RouteListing> listing;
  listing.reserve(routes_.size());
  for (const auto& route : routes_) {
    std::string pattern;
    for (const auto& segment : route.segments) pattern += "/" + segment;
    listing.push_back({route.method, pattern, route.access});
  }
  return listing;
}

void Router::route(Request& request) const {
  std::vector<std::string> path;
  try {
    path = splitPath(Poco::URI(request.http.getURI()).getPath());
  } catch (const Poco::SyntaxException&) {
    throw ApiError(400, "The address of this request is not valid.");
  }
  bool pathKnown = false;
  if (const auto* route = find(request.http.getMethod(), path, request.pathParameters, pathKnown)) {
    request.access = route->access ? &*route->access : nullptr;
    route->handler(request);
    return;
  }
  if (pathKnown)
    throw ApiError(405, "This address does not accept " + request.http.getMethod() + ".");
  if (fallback_ && request.http.getMethod() == "GET") {
    fallback_(request);
    return;
  }
  throw ApiError(404, "There is nothing at this address.");
}

// The server has read the whole body before any handler runs, so a refused request leaves
// nothing unread and the connection can stay open.
void Router::dispatch(ServerRequest& request, ServerResponse& response) const {
  addSecurityHeaders(response);
  Request context{request, response, {}, nullptr};
  try {
    route(context);
  } catch (const ApiError& error) {
    if (!response.sent()) sendError(response, error.status(), error.what());
  } catch (const std::exception& error) {
    spdlog::error("Request {} {} failed: {}", request.getMethod(),
                  Poco::URI(request.getURI()).getPath(), error.what());
    if (!response.sent()) {
      sendError(response, 500, "The collector hit an internal error; it is logged. Try again.");
    }
  }
}

}  // namespace clubsafe::collector
