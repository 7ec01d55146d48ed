#include "collector/storage/sqlite_device_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "common/time.hpp"

#include <Poco/Tuple.h>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

const std::string kSelectTokens =
    "SELECT id, label, created_by, created_at, expires_at, used_at, used_by_device, revoked_at "
    "FROM enrolment_tokens";
using TokenRow = Tuple<Int64, std::string, std::string, std::string, std::string, NullableText,
                       NullableText, NullableText>;

EnrolmentTokenRecord toToken(const TokenRow& row) {
  return {.id = row.get<0>(),
          .label = row.get<1>(),
          .createdBy = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .expiresAt = readTime(row.get<4>()),
          .usedAt = readOptionalTime(row.get<5>()),
          .usedByDevice = row.get<6>().value(""),
          .revoked = !row.get<7>().isNull()};
}

const std::string kSelectDevices =
    "SELECT id, name, hostname, os, agent_version, enrolled_at, last_seen, highest_seq, backlog, "
    "queue_lag_seconds, revoked_at FROM devices";
using DeviceRow = Tuple<std::string, std::string, std::string, std::string, std::string,
                        std::string, NullableText, Int64, Int64, Int64, NullableText>;

DeviceRecord toDevice(const DeviceRow& row) {
  return {.id = row.get<0>(),
          .name = row.get<1>(),
          .hostname = row.get<2>(),
          .os = row.get<3>(),
          .agentVersion = row.get<4>(),
          .enrolledAt = readTime(row.get<5>()),
          .lastSeen = readOptionalTime(row.get<6>()),
          .highestSequence = row.get<7>(),
          .backlog = row.get<8>(),
          .queueLagSeconds = row.get<9>(),
          .revoked = !row.get<10>().isNull()};
}

}  // namespace

std::int64_t SqliteDeviceStore::createEnrolmentToken(const std::string& tokenHash,
                                                     const std::string& label,
                                                     const std::string& createdBy,
                                                     Timestamp createdAt, Timestamp expiresAt,
                                                     AuditEntry audit) {
  return database_.write("create an enrolment token", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO enrolment_tokens (token_hash, label, created_by, created_at, "
                     "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                     tokenHash, label, createdBy, text(createdAt), text(expiresAt))
            .at(0);
    audit.target = std::to_string(id);
    insertAuditEntry(session, audit);
    return id;
  });
}

std::vector<EnrolmentTokenRecord> SqliteDeviceStore::listEnrolmentTokens() {
  return database_.read("list enrolment tokens", [&](Session& session) {
    return convertAll(query<TokenRow>(session, kSelectTokens + " ORDER BY id DESC"), toToken);
  });
}

bool SqliteDeviceStore::revokeEnrolmentToken(std::int64_t id, const AuditEntry& audit) {
  return database_.write("revoke an enrolment token", [&](Session& session) {
    if (execute(session,
                "UPDATE enrolment_tokens SET revoked_at = ? "
                "WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
                text(common::nowUtc()), id) != 1) {
      return false;
    }
    insertAuditEntry(session, audit);
    return true;
  });
}

bool SqliteDeviceStore::enrolDevice(const std::string& tokenHash, const NewDevice& device,
                                    Timestamp now) {
  const std::string at = text(now);
  return database_.write("enrol a device", [&](Session& session) {
    // The conditional update is the check: two enrolments racing for one token cannot both
    // change its row. The device's row follows (the token's reference to it is deferred).
    const auto consumed = execute(session,
                                  "UPDATE enrolment_tokens SET used_at = ?, used_by_device = ? "
                                  "WHERE token_hash = ? AND used_at IS NULL "
                                  "AND revoked_at IS NULL AND expires_at > ?",
                                  at, device.id, tokenHash, at);
    if (consumed == 0) return false;
    execute(session,
            "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, enrolled_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            device.id, device.secretHash, device.name, device.hostname, device.os,
            device.agentVersion, at);
    return true;
  });
}

std::vector<DeviceRecord> SqliteDeviceStore::listDevices() {
  return database_.read("list devices", [&](Session& session) {
    return convertAll(query<DeviceRow>(session, kSelectDevices + " ORDER BY enrolled_at, id"),
                      toDevice);
  });
}

std::optional<DeviceRecord> SqliteDeviceStore::findDevice(const std::string& id) {
  return database_.read("find a device", [&](Session& session) {
    return convertFirst(query<DeviceRow>(session, kSelectDevices + " WHERE id = ?", id), toDevice);
  });
}

std::optional<std::string> SqliteDeviceStore::activeDeviceSecretHash(const std::string& id) {
  return database_.read("check a device's credentials", [&](Session& session) {
    const auto hashes = query<std::string>(
        session, "SELECT secret_hash FROM devices WHERE id = ? AND revoked_at IS NULL", id);
    return hashes.empty() ? std::nullopt : std::optional(hashes.front());
  });
}

bool SqliteDeviceStore::revokeDevice(const std::string& id, const AuditEntry& audit) {
  return database_.write("revoke a device", [&](Session& session) {
    if (execute(session, "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                text(common::nowUtc()), id) != 1) {
      return false;
    }
    insertAuditEntry(session, audit);
    return true;
  });
}

void SqliteDeviceStore::markDeviceSeen(const std::string& id, Timestamp now) {
  database_.write("record that a device was seen", [&](Session& session) {
    execute(session, "UPDATE devices SET last_seen = ? WHERE id = ?", text(now), id);
  });
}

}  // namespace clubsafe::collector
