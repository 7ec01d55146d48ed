#include "collector/auth/device_auth.hpp"

#include "common/crypto.hpp"

#include <algorithm>
#include <utility>

namespace clubsafe::collector {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kDeviceIdRandomBytes = 8;
constexpr std::string_view kDeviceIdPrefix = "dev_";
constexpr std::string_view kBearerPrefix = "Bearer ";
constexpr std::size_t kMaxSecretLength = 128;

bool isLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool isBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Exactly the shape enrol() hands out, so nothing else reaches the database.
bool isDeviceId(std::string_view id) {
  if (!id.starts_with(kDeviceIdPrefix)) return false;
  id.remove_prefix(kDeviceIdPrefix.size());
  return id.size() == 2 * kDeviceIdRandomBytes && std::ranges::all_of(id, isLowerHex);
}

bool isSecret(std::string_view secret) {
  return !secret.empty() && secret.size() <= kMaxSecretLength &&
         std::ranges::all_of(secret, isBase64Url);
}

}  // namespace

CreatedEnrolmentToken DeviceAuth::createEnrolmentToken(const std::string& label,
                                                       const std::string& createdBy, Timestamp now,
                                                       std::chrono::seconds lifetime) {
  auto token = common::randomToken(kTokenBytes);
  const Timestamp expiresAt = now + lifetime;
  const auto id =
      devices_.createEnrolmentToken(common::sha256Hex(token), label, createdBy, now, expiresAt,
                                    {.time = now,
                                     .actor = createdBy,
                                     .action = "enrolment_token.create",
                                     .target = {},  // the new token's id, which the store sets
                                     .detail = label});
  return {.id = id, .token = std::move(token), .expiresAt = expiresAt};
}

std::optional<DeviceCredentials> DeviceAuth::enrol(const std::string& token,
                                                   const DeviceInfo& device, Timestamp now) {
  DeviceCredentials credentials{
      .deviceId = std::string(kDeviceIdPrefix) + common::randomHex(kDeviceIdRandomBytes),
      .deviceSecret = common::randomToken(kSecretBytes)};
  const NewDevice record{.id = credentials.deviceId,
                         .secretHash = common::sha256Hex(credentials.deviceSecret),
                         .name = device.name,
                         .hostname = device.hostname,
                         .os = device.os,
                         .agentVersion = device.agentVersion};
  if (!devices_.enrolDevice(common::sha256Hex(token), record, now)) return std::nullopt;
  return credentials;
}

std::optional<std::string> DeviceAuth::authenticate(const std::string& authorizationHeader) {
  // Only the form our agent sends: one space, one dot, nothing around it.
  std::string_view credentials = authorizationHeader;
  if (!credentials.starts_with(kBearerPrefix)) return std::nullopt;
  credentials.remove_prefix(kBearerPrefix.size());
  const auto dot = credentials.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto deviceId = credentials.substr(0, dot);
  const auto secret = credentials.substr(dot + 1);
  if (!isDeviceId(deviceId) || !isSecret(secret)) return std::nullopt;

  std::string id(deviceId);
  const auto storedHash = devices_.activeDeviceSecretHash(id);
  if (!storedHash || !common::constantTimeEquals(*storedHash, common::sha256Hex(secret))) {
    return std::nullopt;
  }
  return id;
}

}  // namespace clubsafe::collector
