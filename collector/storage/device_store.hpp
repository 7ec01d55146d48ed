#pragma once

#include "collector/storage/audit_log.hpp"
#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

struct DeviceRecord {
  std::string id;
  std::string name;
  std::string hostname;
  std::string os;
  std::string agentVersion;
  Timestamp enrolledAt{};
  std::optional<Timestamp> lastSeen;
  std::int64_t highestSequence = 0;  // highest event sequence number stored for the device
  std::int64_t backlog = 0;          // events waiting on the device, as of its last batch
  std::int64_t queueLagSeconds = 0;  // age of the oldest event in its last batch on arrival
  bool revoked = false;
};

struct NewDevice {
  std::string id;
  std::string secretHash;  // SHA-256 of the device secret; the secret itself is never stored
  std::string name;
  std::string hostname;
  std::string os;
  std::string agentVersion;
};

struct EnrolmentTokenRecord {
  std::int64_t id = 0;
  std::string label;
  std::string createdBy;
  Timestamp createdAt{};
  Timestamp expiresAt{};
  std::optional<Timestamp> usedAt;
  std::string usedByDevice;
  bool revoked = false;
};

// Enrolment tokens and the devices enrolled with them. Every method is one transaction; a
// console change writes its audit entry in the same transaction as the change itself.
// Implementations are safe to call from many threads.
class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // `audit` is written with its target set to the new token's id.
  virtual std::int64_t createEnrolmentToken(const std::string& tokenHash, const std::string& label,
                                            const std::string& createdBy, Timestamp createdAt,
                                            Timestamp expiresAt, AuditEntry audit) = 0;
  virtual std::vector<EnrolmentTokenRecord> listEnrolmentTokens() = 0;
  // False, writing no audit entry, when no such token exists or it was already used or revoked.
  virtual bool revokeEnrolmentToken(std::int64_t id, const AuditEntry& audit) = 0;
  // Consumes the token and creates the device in one step. False, with nothing changed, when
  // the token is unknown, used, revoked or expired at `now`.
  virtual bool enrolDevice(const std::string& tokenHash, const NewDevice& device,
                           Timestamp now) = 0;
  virtual std::vector<DeviceRecord> listDevices() = 0;
  virtual std::optional<DeviceRecord> findDevice(const std::string& id) = 0;
  // The stored secret hash of a device that is not revoked.
  virtual std::optional<std::string> activeDeviceSecretHash(const std::string& id) = 0;
  // False, writing no audit entry, when there is no such device. Revoking twice succeeds and
  // keeps the first revocation time.
  virtual bool revokeDevice(const std::string& id, const AuditEntry& audit) = 0;
  virtual void markDeviceSeen(const std::string& id, Timestamp now) = 0;
};

}  // namespace clubsafe::collector
