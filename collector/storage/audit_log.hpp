#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

struct AuditEntry {
  Timestamp time{};
  std::string actor;   // console user name, or "system"
  std::string action;  // e.g. "device.revoke"
  std::string target;
  std::string detail;
  std::string reason = {};  // why, as the person who made the change gave it
};

// Who changed what, for the audit report. A change made through another store writes its entry
// in that store's transaction (the store's method takes the entry); recordAudit is for entries
// that go with no stored change.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual void recordAudit(const AuditEntry& entry) = 0;
  // The newest `limit` entries, newest first.
  virtual std::vector<AuditEntry> listAudit(std::size_t limit) = 0;
};

}  // namespace clubsafe::collector
