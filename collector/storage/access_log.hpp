#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// View and Export: the usage explorer's; Alert: an alert's detail and context in the DSL's
// queue; Incident: an incident's record.
enum class AccessKind { View, Export, Alert, Incident };

// One look at records that name a person (SPEC C4): who looked, when, at what (the explorer's
// filter, or "alert 12") and at how many rows. The DSL reads them on the access log page.
struct AccessRecord {
  Timestamp time{};
  std::string viewer;  // the console user
  AccessKind kind = AccessKind::View;
  std::string filter;  // the explorer's filter as its query string, or what was looked at
  std::int64_t rows = 0;

  friend bool operator==(const AccessRecord&, const AccessRecord&) = default;
};

// The access log: written once per view or export, never changed. Implementations are safe to
// call from many threads.
class AccessLog {
 public:
  virtual ~AccessLog() = default;

  virtual void recordAccess(const AccessRecord& record) = 0;
  // Newest first: `limit` records after skipping the `offset` newest.
  virtual std::vector<AccessRecord> listAccess(std::size_t limit, std::size_t offset) = 0;
  // Deletes the records older than `cutoff` (retention.access_log_days); returns how many.
  virtual std::size_t deleteAccessBefore(Timestamp cutoff) = 0;
};

}  // namespace clubsafe::collector
