#pragma once

#include "collector/storage/event_store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <string>
#include <vector>

namespace clubsafe::collector {

// The dns_minutes table in SQLite (docs/DNS.md, "Recording decisions"): dns_decision events
// added up per device and minute. Every function runs inside the caller's transaction.

// Adds the counts of newly stored dns_decision events to their minutes, with one prepared
// statement for a whole batch.
class DnsMinuteRollup {
 public:
  DnsMinuteRollup(Poco::Data::Session& session, std::string deviceId);
  // `event` must be a dns_decision checked by common::decodeBatch.
  void add(const common::Event& event);

 private:
  // The prepared statement binds to these by reference.
  std::string deviceId_;
  std::string minute_, domain_, action_, category_, osUser_, member_, profile_;
  Poco::Int64 count_ = 0;
  Poco::Data::Statement upsert_;
};

// The rows of one device from minute `from` up to, not including, `to`, oldest first.
std::vector<DnsMinuteRecord> selectDnsMinutes(Poco::Data::Session& session,
                                              const std::string& deviceId, Timestamp from,
                                              Timestamp to);

// Deletes the minutes before `cutoff`; returns how many rows went.
std::size_t deleteDnsMinutesBefore(Poco::Data::Session& session, Timestamp cutoff);

}  // namespace clubsafe::collector
