#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>
#include <vector>

namespace clubsafe::collector {

// Reads the whole body, refusing more than maxBytes with 413 before reading it all.
[[nodiscard]] std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t maxBytes);

// A JSON object body, or ApiError 400 (413 when too large).
[[nodiscard]] Poco::JSON::Object::Ptr readJsonObject(Poco::Net::HTTPServerRequest& request,
                                                     std::size_t maxBytes);

// The string field `key` of a request object, or ApiError 400 naming it.
[[nodiscard]] std::string requireString(const Poco::JSON::Object& object, const std::string& key,
                                        std::size_t maxLength = 256);
[[nodiscard]] std::string optionalString(const Poco::JSON::Object& object, const std::string& key,
                                         std::size_t maxLength = 256);

// The list-of-strings field `key`, each at most maxLength, or ApiError 400 naming it.
[[nodiscard]] std::vector<std::string> requireStrings(const Poco::JSON::Object& object,
                                                      const std::string& key,
                                                      std::size_t maxLength = 256);

void sendJson(Poco::Net::HTTPServerResponse& response, int status, const Poco::JSON::Object& body);
void sendNoContent(Poco::Net::HTTPServerResponse& response);
void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& message);

}  // namespace clubsafe::collector
