#pragma once

#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

enum class AccessKind { View, Export };

// One look at records that name a person: who looked, when, through which filter and at how
// many rows (SPEC C6; its page comes with the roles issue).
struct AccessRecord {
  Timestamp time{};
  std::string viewer;  // the console user
  AccessKind kind = AccessKind::View;
  std::string filter;  // the explorer's filter as its query string
  std::int64_t rows = 0;

  friend bool operator==(const AccessRecord&, const AccessRecord&) = default;
};

// The access log: written once per view or export, never changed. Implementations are safe to
// call from many threads.
class AccessLog {
 public:
  virtual ~AccessLog() = default;

  virtual void recordAccess(const AccessRecord& record) = 0;
  // The newest `limit` records, newest first.
  virtual std::vector<AccessRecord> listAccess(std::size_t limit) = 0;
};

}  // namespace clubsafe::collector
