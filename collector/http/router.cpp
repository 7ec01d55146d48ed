#include "collector/http/router.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <spdlog/spdlog.h>

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

void addSecurityHeaders(Poco::Net::HTTPServerResponse& response) {
  response.set("Strict-Transport-Security", "max-age=31536000");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
               "form-action 'self'; base-uri 'none'");
  response.set("Cache-Control", "no-store");
}

// Reads what a handler left of the request body, so the next request on a kept-alive
// connection starts where it should. A body too large to be worth reading closes the
// connection instead.
void discardUnreadBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
  constexpr std::streamsize kMostToDiscard = 1024 * 1024;
  auto& stream = request.stream();
  stream.ignore(kMostToDiscard);
  if (!stream.eof()) response.setKeepAlive(false);
}

class RouterHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RouterHandler(const Router& router) : router_(router) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    router_.dispatch(request, response);
  }

 private:
  const Router& router_;
};

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, splitPath(pattern), std::move(handler)});
}

void Router::route(Request& request) const {
  std::vector<std::string> path;
  try {
    path = splitPath(Poco::URI(request.http.getURI()).getPath());
  } catch (const Poco::SyntaxException&) {
    throw ApiError(400, "The address of this request is not valid.");
  }
  bool pathKnown = false;
  for (const auto& route : routes_) {
    if (!matches(route.segments, path, request.pathParameters)) continue;
    pathKnown = true;
    if (route.method == request.http.getMethod()) {
      route.handler(request);
      return;
    }
  }
  if (pathKnown) throw ApiError(405, "This address does not accept " + request.http.getMethod() + ".");
  if (fallback_ && request.http.getMethod() == "GET") {
    fallback_(request);
    return;
  }
  throw ApiError(404, "There is nothing at this address.");
}

void Router::dispatch(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response) const {
  addSecurityHeaders(response);
  Request context{request, response, {}};
  try {
    route(context);
    discardUnreadBody(request, response);
  } catch (const ApiError& error) {
    // A refused request's body may be unread; closing the connection keeps it from being
    // taken for the next request.
    response.setKeepAlive(false);
    if (!response.sent()) sendError(response, error.status(), error.what());
  } catch (const std::exception& error) {
    response.setKeepAlive(false);
    spdlog::error("Request {} {} failed: {}", request.getMethod(), Poco::URI(request.getURI()).getPath(),
                  error.what());
    if (!response.sent()) {
      sendError(response, 500, "The collector hit an internal error; it is logged. Try again.");
    }
  }
}

Poco::Net::HTTPRequestHandler* RouterHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new RouterHandler(router_);
}

}  // namespace clubsafe::collector
