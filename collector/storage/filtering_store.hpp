#pragma once

#include "collector/storage/audit_log.hpp"
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

struct NewFilterList {
  FilterListRecord record;  // id and bytes are set by the store
  std::string_view text;    // the list as imported
};

// What every change to the filtering writes in the same transaction as the change itself: the
// policy document it produces (its version one above the newest; the store derives its ETag
// from the body) and the audit entry.
struct PolicyChange {
  PolicyDocument document;
  AuditEntry audit;
};

// A young person on the member register (the policy's "members"): their first name or member
// code and the age band they sign in with. Nothing more is kept about them here.
struct MemberRecord {
  std::int64_t id = 0;
  std::string name;
  std::string ageBand;
  Timestamp createdAt{};
  std::string createdBy;
};

// A youth worker's PIN for staff sign-in and overrides on the laptops (the policy's "workers").
struct WorkerRecord {
  std::int64_t id = 0;
  std::string name;
  std::string pinHash;  // common::hashPassword of the PIN; the PIN itself is never stored
  Timestamp createdAt{};
  std::string createdBy;
};

// The filtering the agents are given: policy versions, filter lists, profiles, the monitoring
// notice and worker PINs. Every method is one transaction. Every change below refuses, changing
// nothing, when `change.document.version` is not one above the newest stored version (someone
// else changed the filtering in the meantime). Implementations are safe to call from many
// threads.
class FilteringStore {
 public:
  virtual ~FilteringStore() = default;

  // Policy served to agents: the newest version, created empty on first use.
  virtual PolicyDocument currentPolicy() = 0;
  // Stores a new policy version without another change (on start, when what is stored no
  // longer matches the document, e.g. after the index file was lost).
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

  // The member register, in the order members were added.
  virtual std::vector<MemberRecord> listMembers() = 0;
  // Returns the new member's id (the id of `member` is ignored).
  virtual std::int64_t addMember(const MemberRecord& member, const PolicyChange& change) = 0;
  // False, with nothing changed, when there is no such member.
  virtual bool deleteMember(std::int64_t id, const PolicyChange& change) = 0;
};

}  // namespace clubsafe::collector
