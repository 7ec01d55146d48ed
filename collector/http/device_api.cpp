#include "collector/http/device_api.hpp"

#include "collector/filtering/index_compiler.hpp"
#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kMaxEnrolBytes = 4096;

int statusFor(common::BatchErrorKind kind) {
  return kind == common::BatchErrorKind::TooLarge ? 413 : 400;
}

// Answers 304 and returns true when the request already holds `etag`.
bool notModified(Request& request, const std::string& etag) {
  request.response.set("ETag", etag);
  if (request.http.get("If-None-Match", "") != etag) return false;
  request.response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
  request.response.setContentLength(0);
  request.response.send();
  return true;
}

// The agent sends its batches as JSON; anything else is refused before it is decoded.
void requireJsonBatch(const Request& request) {
  if (!declaresJson(request.http)) {
    throw ApiError(415,
                   "Events must be sent as JSON, with the header Content-Type: "
                   "application/json.");
  }
}

}  // namespace

void DeviceApi::addRoutes(Router& router) {
  router.add(
      "POST", "/api/device/v1/enrol", [this](Request& request) { enrol(request); }, kMaxEnrolBytes);
  router.add(
      "POST", "/api/device/v1/events", [this](Request& request) { receiveEvents(request); },
      limits_.maxBytes);
  router.add("GET", "/api/device/v1/policy", [this](Request& request) { sendPolicy(request); });
  router.add("GET", "/api/device/v1/index", [this](Request& request) { sendIndex(request); });
}

std::string DeviceApi::authenticatedDevice(Request& request) {
  const auto deviceId = deviceAuth_.authenticate(request.http.get("Authorization", ""));
  if (!deviceId) {
    throw ApiError(401,
                   "This laptop is not enrolled, or its enrolment was removed in the console.");
  }
  return *deviceId;
}

void DeviceApi::enrol(Request& request) {
  const auto body = readJsonObject(request.http);
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
  requireJsonBatch(request);
  const std::string& body = request.http.body();
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
  refuseMarkedEvents(batch);
  const auto result = events_.storeEvents(batch, common::nowUtc());
  Poco::JSON::Object answer;
  answer.set("stored", static_cast<Poco::UInt64>(result.stored));
  answer.set("highest_seq", result.highestSequence);
  sendJson(request.response, 200, answer);
}

void DeviceApi::refuseMarkedEvents(const common::Batch& batch) const {
  if (testRefuseMarker_.empty()) return;
  for (const auto& event : batch.events) {
    std::ostringstream payload;
    event.payload->stringify(payload);
    if (payload.str().find(testRefuseMarker_) != std::string::npos) {
      throw ApiError(400, "Event " + std::to_string(event.sequence) +
                              " holds the text of the test setting ingest.test_refuse_marker.");
    }
  }
}

void DeviceApi::sendPolicy(Request& request) {
  const auto deviceId = authenticatedDevice(request);
  devices_.markDeviceSeen(deviceId, common::nowUtc());
  const auto policy = filtering_.currentPolicy();
  if (notModified(request, policy.etag)) return;
  request.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  request.response.setContentType("application/json; charset=utf-8");
  request.response.setContentLength64(static_cast<Poco::Int64>(policy.body.size()));
  request.response.send() << policy.body;
}

// Always the index the newest policy names: an agent holding an older policy finds that the
// SHA-256 does not match and fetches the policy again.
void DeviceApi::sendIndex(Request& request) {
  (void)authenticatedDevice(request);
  const auto policy = filtering_.currentPolicy();
  if (policy.indexSha256.empty()) {
    throw ApiError(404,
                   "The club has not imported any filter lists yet, so there is no domain "
                   "index. Import one on the console's Filtering page.");
  }
  if (notModified(request, '"' + policy.indexSha256 + '"')) return;
  const auto path = indexFilePath(indexFolder_, policy.indexSha256);
  // The size comes from the open file: should a newer policy remove it meanwhile, the open file
  // stays whole until it is closed.
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary | std::ios::ate);
  const auto size = file->tellg();
  file->seekg(0);
  if (!*file || size <= 0) {
    spdlog::error("The domain index file {} named by policy version {} is missing.", path.string(),
                  policy.version);
    throw ApiError(503, "The collector is rebuilding its domain index. Try again in a minute.");
  }
  request.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  request.response.setContentType("application/octet-stream");
  request.response.sendStream(std::move(file), static_cast<std::uint64_t>(size));
}

}  // namespace clubsafe::collector
