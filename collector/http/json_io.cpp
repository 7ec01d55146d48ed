#include "collector/http/json_io.hpp"

#include "collector/http/api_error.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MediaType.h>

#include <sstream>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxRequestDepth = 8;

}  // namespace

bool declaresJson(const ServerRequest& request) {
  return Poco::Net::MediaType(request.getContentType()).matches("application", "json");
}

Poco::JSON::Object::Ptr readJsonObject(const ServerRequest& request) {
  const std::string& body = request.body();
  Poco::JSON::Parser parser;
  parser.setDepth(kMaxRequestDepth);
  Poco::Dynamic::Var parsed;
  try {
    parsed = parser.parse(body);
  } catch (const std::exception&) {
    throw ApiError(400, "The request body is not valid JSON.");
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "The request body must be a JSON object.");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::string optionalString(const Poco::JSON::Object& object, const std::string& key,
                           std::size_t maxLength) {
  if (!object.has(key)) return {};
  const auto value = object.get(key);
  if (!value.isString()) throw ApiError(400, "The field \"" + key + "\" must be text.");
  auto text = value.extract<std::string>();
  if (text.size() > maxLength) {
    throw ApiError(400, "The field \"" + key + "\" is longer than " + std::to_string(maxLength) +
                            " characters.");
  }
  return text;
}

std::string requireString(const Poco::JSON::Object& object, const std::string& key,
                          std::size_t maxLength) {
  if (!object.has(key)) throw ApiError(400, "The field \"" + key + "\" is missing.");
  return optionalString(object, key, maxLength);
}

std::vector<std::string> requireStrings(const Poco::JSON::Object& object, const std::string& key,
                                        std::size_t maxLength) {
  if (!object.has(key)) throw ApiError(400, "The field \"" + key + "\" is missing.");
  const auto value = object.get(key);
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
    throw ApiError(400, "The field \"" + key + "\" must be a list of texts.");
  }
  std::vector<std::string> texts;
  const auto& items = *value.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto item = items.get(static_cast<unsigned>(i));
    const auto where = key + "[" + std::to_string(i) + "]";
    if (!item.isString()) throw ApiError(400, "The field \"" + where + "\" must be text.");
    texts.push_back(item.extract<std::string>());
    if (texts.back().size() > maxLength) {
      throw ApiError(400, "The field \"" + where + "\" is longer than " +
                              std::to_string(maxLength) + " characters.");
    }
  }
  return texts;
}

void sendJson(ServerResponse& response, int status, const Poco::JSON::Object& body) {
  std::ostringstream text;
  body.stringify(text);
  const auto payload = text.str();
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength64(static_cast<Poco::Int64>(payload.size()));
  response.send() << payload;
}

void sendNoContent(ServerResponse& response) {
  response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  response.setContentLength(0);
  response.send();
}

void sendError(ServerResponse& response, int status, const std::string& message) {
  Poco::JSON::Object body;
  body.set("error", message);
  sendJson(response, status, body);
}

}  // namespace clubsafe::collector
