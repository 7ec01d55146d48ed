#pragma once

#include "common/batch_codec.hpp"
#include "common/event.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

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

// The events the agents send, and the rollups built from them as they arrive. Every method is
// one transaction. Implementations are safe to call from many threads.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores the batch's events that are new for (device, sequence), skips the ones it already
  // has, and updates the device's last seen, backlog, queue lag and highest sequence. Only the
  // new events are added to the rollups (listDnsMinutes), so a batch sent again counts once.
  // Throws std::runtime_error, storing nothing, when the device is not enrolled.
  virtual StoreEventsResult storeEvents(const common::Batch& batch, Timestamp now) = 0;
  virtual std::int64_t countEvents(const std::string& deviceId) = 0;
  // Deletes the events of one type that happened before `cutoff`; returns how many. For
  // dns_decision, the DNS minutes before `cutoff` go too. Events under legal hold stay: those
  // an open incident links, and those naming a member an open incident involves
  // (incident_store.hpp).
  virtual std::size_t deleteEventsBefore(common::EventType type, Timestamp cutoff) = 0;
  // Deletes the names (rollup_names) no event, rollup, alert case or notification refers to
  // any more, as retention leaves them; returns how many. A name that comes again later is
  // stored again.
  virtual std::size_t deleteUnreferencedNames() = 0;
  // A device's DNS decisions per minute, from minute `from` up to, not including, `to`, oldest
  // first.
  virtual std::vector<DnsMinuteRecord> listDnsMinutes(const std::string& deviceId, Timestamp from,
                                                      Timestamp to) = 0;
};

}  // namespace clubsafe::collector
