#include "agent/upload/https_batch_sender.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SSLException.h>

namespace clubsafe::agent::upload {
namespace {

constexpr const char* kEventsPath = "/api/device/v1/events";

SendResult storedFrom(const client::Reply& reply) {
  try {
    const auto object = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    if (object && object->has("highest_seq")) {
      return Stored{object->getValue<std::int64_t>("highest_seq")};
    }
  } catch (const Poco::Exception&) {
    // Reported below: an answer we cannot read confirms nothing.
  } catch (const std::exception&) {
    // As above.
  }
  return Unavailable{"the collector's answer did not say which events it holds"};
}

}  // namespace

HttpsBatchSender::HttpsBatchSender(const std::string& serverUrl, const common::ServerTrust& trust,
                                   std::chrono::milliseconds timeout, const std::string& deviceId,
                                   const std::string& deviceSecret)
    : client_(serverUrl, trust, timeout), bearerToken_(deviceId + "." + deviceSecret) {}

SendResult HttpsBatchSender::send(const std::string& batchJson) {
  client::Reply reply;
  try {
    reply = client_.postJson(kEventsPath, batchJson, bearerToken_);
  } catch (const Poco::Net::SSLException& error) {
    return Unavailable{"the secure connection to " + client_.serverUrl() +
                       " failed: " + error.displayText()};
  } catch (const Poco::Exception& error) {
    return Unavailable{client_.serverUrl() + ": " + error.displayText()};
  } catch (const std::exception& error) {
    return Unavailable{client_.serverUrl() + ": " + error.what()};
  }
  switch (reply.status) {
    case 200: return storedFrom(reply);
    case 401: return Unauthorized{reply.errorMessage()};
    case 400:
    case 403:
    case 413: return Rejected{reply.status, reply.errorMessage()};
    default:
      return Unavailable{"the collector answered HTTP " + std::to_string(reply.status) + ": " +
                         reply.errorMessage()};
  }
}

}  // namespace clubsafe::agent::upload
