#pragma once

#include "collector/storage/audit_log.hpp"
#include "common/event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// A filter list the collector downloads by itself and imports into a category (docs/POLICY.md,
// "List subscriptions"). The last good copy is the list imported last (filter_lists).
struct SubscriptionRecord {
  std::int64_t id = 0;
  std::string url;
  std::string format;  // plain, hosts, adblock or ut1
  std::string category;
  std::string source;  // the filter_lists source it imports as
  std::int64_t refreshHours = 24;
  std::int64_t maxBytes = 0;
  std::string createdBy;
  Timestamp createdAt{};
  // The last good copy's validators and SHA-256 ('' before the first).
  std::string etag;
  std::string lastModified;
  std::string sha256;
  std::optional<Timestamp> checkedAt;     // the last try, good or not
  std::optional<Timestamp> succeededAt;   // the last good answer (a new copy or "not modified")
  std::optional<Timestamp> changedAt;     // the last import
  std::string failure;                    // why the last try failed; '' when it worked
  std::optional<Timestamp> failingSince;  // the first of the failures in a row
};

// The outcome of one try.
struct SubscriptionCheck {
  Timestamp at{};
  std::string failure;  // '' when it worked
  // A copy received (changed or not): its validators and SHA-256; '' for "not modified".
  bool changed = false;  // imported as the new good copy
  std::string etag;
  std::string lastModified;
  std::string sha256;
};

// List subscriptions. Safe to call from many threads.
class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;

  virtual std::vector<SubscriptionRecord> listSubscriptions() = 0;
  virtual std::optional<SubscriptionRecord> findSubscription(std::int64_t id) = 0;
  // Stores it (its id and state are ignored) with its audit entry; returns its id. Throws
  // std::runtime_error, nothing changed, when its category and source are taken.
  virtual std::int64_t addSubscription(const SubscriptionRecord& subscription,
                                       const AuditEntry& audit) = 0;
  // False, nothing changed, when there is no such subscription.
  virtual bool deleteSubscription(std::int64_t id, const AuditEntry& audit) = 0;
  virtual void recordCheck(std::int64_t id, const SubscriptionCheck& check) = 0;
};

}  // namespace clubsafe::collector
