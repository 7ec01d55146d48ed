#pragma once

#include "collector/storage/device_store.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace clubsafe::collector {

struct CreatedEnrolmentToken {
  std::int64_t id = 0;
  std::string token;  // shown once to the manager; only its hash is stored
  Timestamp expiresAt{};
};

struct DeviceCredentials {
  std::string deviceId;
  std::string deviceSecret;  // returned once to the agent; only its hash is stored
};

struct DeviceInfo {
  std::string name;
  std::string hostname;
  std::string os;
  std::string agentVersion;
};

// Enrolment tokens and device credentials. Tokens and secrets are 256-bit random values, so a
// plain SHA-256 of them is a safe thing to store (no slow hash is needed against guessing).
class DeviceAuth {
 public:
  explicit DeviceAuth(DeviceStore& devices) : devices_(devices) {}

  // Stores the token with its audit entry (enrolment_token.create by `createdBy`) in one step.
  CreatedEnrolmentToken createEnrolmentToken(const std::string& label, const std::string& createdBy,
                                             Timestamp now, std::chrono::seconds lifetime);

  // Trades a live token for new device credentials; nullopt for an unknown, used, revoked or
  // expired token, with nothing stored.
  std::optional<DeviceCredentials> enrol(const std::string& token, const DeviceInfo& device,
                                         Timestamp now);

  // The device id for a value of the form "Bearer <device id>.<device secret>", when the
  // device exists, is not revoked and the secret matches.
  std::optional<std::string> authenticate(const std::string& authorizationHeader);

 private:
  DeviceStore& devices_;
};

}  // namespace clubsafe::collector
