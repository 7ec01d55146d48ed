#pragma once

#include "collector/http/server/http_exchange.hpp"

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace clubsafe::collector {

// The body as a JSON object, or ApiError 400. Its size was bounded by the route (Router::add).
[[nodiscard]] Poco::JSON::Object::Ptr readJsonObject(const ServerRequest& request);

// Whether the request says its body is JSON (application/json, parameters such as charset
// allowed).
[[nodiscard]] bool declaresJson(const ServerRequest& request);

// The string field `key` of a request object, or ApiError 400 naming it.
[[nodiscard]] std::string requireString(const Poco::JSON::Object& object, const std::string& key,
                                        std::size_t maxLength = 256);
[[nodiscard]] std::string optionalString(const Poco::JSON::Object& object, const std::string& key,
                                         std::size_t maxLength = 256);

// The list-of-strings field `key`, each at most maxLength, or ApiError 400 naming it.
[[nodiscard]] std::vector<std::string> requireStrings(const Poco::JSON::Object& object,
                                                      const std::string& key,
                                                      std::size_t maxLength = 256);

void sendJson(ServerResponse& response, int status, const Poco::JSON::Object& body);
void sendNoContent(ServerResponse& response);
void sendError(ServerResponse& response, int status, const std::string& message);

}  // namespace clubsafe::collector
