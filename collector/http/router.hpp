#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <string>
#include <vector>

namespace clubsafe::collector {

struct Request {
  Poco::Net::HTTPServerRequest& http;
  Poco::Net::HTTPServerResponse& response;
  std::vector<std::string> pathParameters;  // the "{}" segments of the route, in order
};

using Handler = std::function<void(Request&)>;

// Maps method and path to a handler, and is the one place where handler exceptions become
// HTTP answers: ApiError → its status and message; anything else → 500, logged, with a
// message that gives nothing away.
class Router {
 public:
  // `pattern` is an absolute path whose segments are literal or "{}" (any one segment).
  void add(const std::string& method, const std::string& pattern, Handler handler);
  // Serves GET requests no route matched (the console's files).
  void setFallback(Handler handler) { fallback_ = std::move(handler); }

  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  void route(Request& request) const;

  std::vector<Route> routes_;
  Handler fallback_;
};

class RouterHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RouterHandlerFactory(const Router& router) : router_(router) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override;

 private:
  const Router& router_;
};

}  // namespace clubsafe::collector
