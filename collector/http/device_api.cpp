#include "collector/http/device_api.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <spdlog/spdlog.h>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxEnrolBytes = 4096;

int statusFor(common::BatchErrorKind kind) {
  return kind == common::BatchErrorKind::TooLarge ? 413 : 400;
}

}  // namespace

void DeviceApi::addRoutes(Router& router) {
  router.add("POST", "/api/device/v1/enrol", [this](Request& request) { enrol(request); });
  router.add("POST", "/api/device/v1/events", [this](Request& request) { receiveEvents(request); });
  router.add("GET", "/api/device/v1/policy", [this](Request& request) { sendPolicy(request); });
}

std::string DeviceApi::authenticatedDevice(Request& request) {
  const auto deviceId = deviceAuth_.authenticate(request.http.get("Authorization", ""));
  if (!deviceId) {
    throw ApiError(401, "This laptop is not enrolled, or its enrolment was removed in the console.");
  }
  return *deviceId;
}

void DeviceApi::enrol(Request& request) {
  const auto body = readJsonObject(request.http, kMaxEnrolBytes);
  const auto token = requireString(*body, "token");
  const DeviceInfo device{
      .name = requireString(*body, "name", 100),
      .hostname = optionalString(*body, "hostname", 255),
      .os = optionalString(*body, "os", 200),
      .agentVersion = optionalString(*body, "agent_version", 50),
  };
  if (device.name.empty()) throw ApiError(400, "The laptop needs a name.");
  const auto credentials = deviceAuth_.enrol(token, device, common::nowUtc());
  if (!credentials) {
    throw ApiError(401,
                   "The enrolment token is wrong, already used, revoked or expired. Make a new one "
                   "on the console's Enrol page.");
  }
  spdlog::info("Enrolled a new laptop \"{}\" as {}.", device.name, credentials->deviceId);
  Poco::JSON::Object answer;
  answer.set("device_id", credentials->deviceId);
  answer.set("device_secret", credentials->deviceSecret);
  sendJson(request.response, 201, answer);
}

void DeviceApi::receiveEvents(Request& request) {
  const auto deviceId = authenticatedDevice(request);
  const std::string body = readBody(request.http, limits_.maxBytes);
  common::Batch batch;
  try {
    batch = common::decodeBatch(body, limits_);
  } catch (const common::BatchError& error) {
    spdlog::warn("Refused a batch from {}: {}", deviceId, error.what());
    throw ApiError(statusFor(error.kind()), error.what());
  }
  if (batch.header.deviceId != deviceId) {
    throw ApiError(403, "The batch names a different device from the one that sent it.");
  }
  const auto result = storage_.storeEvents(batch, common::nowUtc());
  Poco::JSON::Object answer;
  answer.set("stored", static_cast<Poco::UInt64>(result.stored));
  answer.set("highest_seq", result.highestSequence);
  sendJson(request.response, 200, answer);
}

void DeviceApi::sendPolicy(Request& request) {
  const auto deviceId = authenticatedDevice(request);
  storage_.markDeviceSeen(deviceId, common::nowUtc());
  const auto policy = storage_.currentPolicy();
  request.response.set("ETag", policy.etag);
  if (request.http.get("If-None-Match", "") == policy.etag) {
    request.response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    request.response.setContentLength(0);
    request.response.send();
    return;
  }
  request.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  request.response.setContentType("application/json; charset=utf-8");
  request.response.setContentLength64(static_cast<Poco::Int64>(policy.body.size()));
  request.response.send() << policy.body;
}

}  // namespace clubsafe::collector
