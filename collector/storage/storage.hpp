#pragma once

#include "common/batch_codec.hpp"
#include "common/event.hpp"
#include "common/policy.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
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

struct ConsoleUser {
  std::int64_t id = 0;
  std::string username;
  std::string role;  // "manager" for now; dsl, worker and trustee come with C4
  std::string passwordHash;
  bool mustChangePassword = false;
  std::int64_t failedLogins = 0;  // consecutive failures since the last success
  std::optional<Timestamp> lockedUntil;
};

struct SessionRecord {
  std::string idHash;  // SHA-256 of the cookie value; the cookie value is never stored
  std::int64_t userId = 0;
  std::string csrfToken;
  Timestamp createdAt{};
  Timestamp lastUsedAt{};
};

struct PolicyDocument {
  std::int64_t version = 0;
  std::string body;  // JSON text (docs/POLICY.md)
  std::string etag;  // strong ETag derived from the body
  // The domain index file the document names: SHA-256 of the file (empty: none) and its size.
  std::string indexSha256;
  std::int64_t indexBytes = 0;
};

// A list of names imported into one category of the filter (docs/POLICY.md). A category has
// one list per source name; importing the same source again replaces it.
struct FilterListRecord {
  std::int64_t id = 0;
  std::string category;
  std::string source;  // e.g. "ut1/gambling" or "club-extra"
  std::string format;  // plain, hosts, adblock or ut1
  std::string sha256;  // of the text as imported
  std::int64_t bytes = 0;
  std::int64_t lines = 0;
  std::int64_t names = 0;                   // valid names
  std::int64_t ignored = 0;                 // blank and comment lines
  std::int64_t unsupported = 0;             // rules of the format that are not plain names
  std::map<std::string, std::int64_t> bad;  // lines refused, by reason
  std::string importedBy;
  Timestamp importedAt{};
};

struct StoreEventsResult {
  std::size_t stored = 0;            // events new to the collector
  std::int64_t highestSequence = 0;  // highest sequence now held for the device
};

// The DNS decisions of one minute on one device, from every partial dns_decision event naming
// that minute (docs/DNS.md, "Recording decisions").
struct DnsMinuteRecord {
  std::string deviceId;
  Timestamp minute{};
  std::string domain;
  std::string action;    // allowed, blocked, rewritten or nxdomain
  std::string category;  // empty when none
  std::string osUser;
  std::string member;
  std::string profile;
  std::int64_t count = 0;
};

struct AuditEntry {
  Timestamp time{};
  std::string actor;   // console user name, or "system"
  std::string action;  // e.g. "device.revoke"
  std::string target;
  std::string detail;
  std::string reason = {};  // why, as the person who made the change gave it
};

// What every change to the filtering writes in the same transaction as the change itself: the
// policy document it produces (its version one above the newest; the storage derives its ETag
// from the body) and the audit entry.
struct NewFilterList {
  FilterListRecord record;  // id and bytes are set by the storage
  std::string_view text;    // the list as imported
};

struct PolicyChange {
  PolicyDocument document;
  AuditEntry audit;
};

// A youth worker's PIN for staff sign-in and overrides on the laptops (the policy's "workers").
struct WorkerRecord {
  std::int64_t id = 0;
  std::string name;
  std::string pinHash;  // common::hashPassword of the PIN; the PIN itself is never stored
  Timestamp createdAt{};
  std::string createdBy;
};

// Everything the collector keeps. One implementation per database engine (SQLite now,
// PostgreSQL later); callers never see SQL. Every method is one transaction: it changes all
// it says or nothing. Implementations are safe to call from many threads.
class Storage {
 public:
  virtual ~Storage() = default;

  // Devices and enrolment. A console change here writes its audit entry in the same
  // transaction as the change itself.
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

  // Events. Stores the batch's events that are new for (device, sequence), skips the ones it
  // already has, and updates the device's last seen, backlog, queue lag and highest sequence.
  // The counts of new dns_decision events are added to their minutes (listDnsMinutes), so a
  // batch sent again counts once.
  virtual StoreEventsResult storeEvents(const common::Batch& batch, Timestamp now) = 0;
  virtual std::int64_t countEvents(const std::string& deviceId) = 0;
  // Deletes the events of one type that happened before `cutoff`; returns how many. For
  // dns_decision, the DNS minutes before `cutoff` go too.
  virtual std::size_t deleteEventsBefore(common::EventType type, Timestamp cutoff) = 0;
  // A device's DNS decisions per minute, from minute `from` up to, not including, `to`, oldest
  // first.
  virtual std::vector<DnsMinuteRecord> listDnsMinutes(const std::string& deviceId, Timestamp from,
                                                      Timestamp to) = 0;

  // Console users.
  virtual std::size_t countUsers() = 0;
  virtual std::int64_t createUser(const std::string& username, const std::string& role,
                                  const std::string& passwordHash, bool mustChangePassword) = 0;
  virtual std::optional<ConsoleUser> findUserByName(const std::string& username) = 0;
  virtual std::optional<ConsoleUser> findUserById(std::int64_t id) = 0;
  virtual void recordLoginFailure(std::int64_t userId, std::optional<Timestamp> lockedUntil) = 0;
  virtual void recordLoginSuccess(std::int64_t userId) = 0;
  // Writes `audit` in the same transaction.
  virtual void setPassword(std::int64_t userId, const std::string& passwordHash,
                           bool mustChangePassword, const AuditEntry& audit) = 0;

  // Console sessions.
  virtual void createSession(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> findSession(const std::string& idHash) = 0;
  virtual void touchSession(const std::string& idHash, Timestamp lastUsedAt) = 0;
  virtual void deleteSession(const std::string& idHash) = 0;
  virtual void deleteSessionsOfUser(std::int64_t userId) = 0;
  virtual void deleteSessionsIdleSince(Timestamp cutoff) = 0;

  // Policy served to agents: the newest version, created empty on first use.
  virtual PolicyDocument currentPolicy() = 0;
  // Stores a new policy version without another change (on start, when what is stored no
  // longer matches the document, e.g. after the index file was lost). Every filtering change
  // below refuses, changing nothing, when `change.document.version` is not one above the
  // newest stored version (someone else changed the filtering in the meantime).
  virtual void publishPolicy(const PolicyChange& change) = 0;

  // Filter lists. The text is kept (compressed) because the index is compiled from it.
  virtual std::vector<FilterListRecord> listFilterLists() = 0;
  // The text of a list as imported; throws std::runtime_error when there is no such list.
  virtual std::string filterListText(std::int64_t id) = 0;
  // Adds the lists, each replacing the one of the same category and source; returns their ids.
  virtual std::vector<std::int64_t> importFilterLists(const std::vector<NewFilterList>& lists,
                                                      const PolicyChange& change) = 0;
  // False, with nothing changed, when there is no such list.
  virtual bool deleteFilterList(std::int64_t id, const PolicyChange& change) = 0;

  // Filter profiles, in the order they were created, and the device default.
  virtual std::vector<common::Profile> listFilterProfiles() = 0;
  virtual std::string defaultFilterProfile() = 0;
  // Creates the profile or replaces the one with its id.
  virtual void saveFilterProfile(const common::Profile& profile, const PolicyChange& change) = 0;
  // False, with nothing changed, when there is no such profile. The default profile cannot be
  // deleted (the database refuses it too).
  virtual bool deleteFilterProfile(const std::string& id, const PolicyChange& change) = 0;
  virtual void setDefaultFilterProfile(const std::string& id, const PolicyChange& change) = 0;

  // The monitoring notice the policy carries: none until the collector first stores one. Its
  // version is not stored but computed (common::noticeVersion).
  virtual std::optional<common::NoticeText> noticeText() = 0;
  // Stores the notice, replacing the one there.
  virtual void saveNoticeText(const common::NoticeText& notice, const PolicyChange& change) = 0;

  // Worker PINs, in the order they were added.
  virtual std::vector<WorkerRecord> listWorkers() = 0;
  // Returns the new worker's id (the id of `worker` is ignored). Throws, with nothing changed,
  // when the name is taken, whatever its case.
  virtual std::int64_t addWorker(const WorkerRecord& worker, const PolicyChange& change) = 0;
  // False, with nothing changed, when there is no such worker.
  virtual bool deleteWorker(std::int64_t id, const PolicyChange& change) = 0;

  // Who changed what, for the audit report.
  virtual void recordAudit(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> listAudit(std::size_t limit) = 0;
};

}  // namespace clubsafe::collector
