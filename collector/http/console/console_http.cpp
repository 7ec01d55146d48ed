#include "collector/http/console/console_http.hpp"

#include "collector/http/api_error.hpp"
#include "common/time.hpp"

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/NumberParser.h>

namespace clubsafe::collector {
namespace {

// __Host-: the browser keeps it only when set over HTTPS with Path=/ and no Domain, so no other
// site on the same domain, and no plain-HTTP answer, can plant or replace it.
constexpr const char* kSessionCookie = "__Host-clubsafe_session";

void addSessionCookie(ServerResponse& response, const std::string& value, bool clear) {
  Poco::Net::HTTPCookie cookie(kSessionCookie, value);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSecure(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  if (clear) cookie.setMaxAge(0);
  response.addCookie(cookie);
}

}  // namespace

std::string sessionCookie(const ServerRequest& request) {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(kSessionCookie, "");
}

void setSessionCookie(ServerResponse& response, const std::string& value) {
  addSessionCookie(response, value, false);
}

void clearSessionCookie(ServerResponse& response) {
  addSessionCookie(response, "", true);
}

std::int64_t idParameter(const Request& request) {
  Poco::Int64 id = 0;
  if (!Poco::NumberParser::tryParse64(request.pathParameters.at(0), id) || id <= 0) {
    throw ApiError(404, "There is no such item.");
  }
  return id;
}

Poco::Dynamic::Var optionalTime(const std::optional<Timestamp>& time) {
  return time ? Poco::Dynamic::Var(common::formatTimestamp(*time)) : Poco::Dynamic::Var();
}

AuditEntry auditEntry(const AuthenticatedSession& session, const std::string& action,
                      const std::string& target, const std::string& detail) {
  return {common::nowUtc(), session.user.username, action, target, detail};
}

}  // namespace clubsafe::collector
