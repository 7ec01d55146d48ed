#pragma once

#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/stored_event.hpp"
#include "common/event.hpp"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace clubsafe::collector {

// The read model's rollup tables in SQLite (migration 8; docs/ARCHITECTURE.md, "The read
// model"): what the dashboard shows, added up per UTC hour as events are stored, so that no
// dashboard query reads raw events.

// What rollup_counts counts per hour, laptop and member. The numbers are stored: never
// renumber one, only add.
enum class RollupCount : int {
  Events = 1,  // every event, heartbeats included: was the laptop reporting
  Logins = 2,  // session events with action login
  SignIns = 3,
  Searches = 4,
  Visits = 5,
  NoticesAcknowledged = 6,     // notice_acknowledged, acknowledged true
  NoticesNotAcknowledged = 7,  // shown but closed or timed out
  SelfTestsPassed = 8,
  SelfTestsFailed = 9,
  Overrides = 10,
  Tamper = 11,
  ReviewRequests = 12,
  Alerts = 13,  // safeguarding alerts and worry reports, counted only: their detail is the DSL's
  EventsDropped = 14,  // outbox_gap's dropped: events a full outbox lost
  BlockNotices = 15,
  EventsRejected = 16,  // rejected's count: events the collector refused as malformed
};

// DNS actions as rollup_dns and rollup_dns_domains store them; 0 for an action this collector
// does not know (an agent newer than it).
enum class RollupAction : int { Other = 0, Allowed = 1, Blocked = 2, Rewritten = 3, NxDomain = 4 };

[[nodiscard]] RollupAction rollupActionOf(std::string_view action);
[[nodiscard]] std::string_view rollupActionName(RollupAction action);

// Adds the events of one batch from one device, each one newly stored, to the rollups. add()
// only adds up in memory; write() writes it all with one statement per row, inside the
// caller's transaction. Late events add to their own hours; the caller feeds only events it
// has just inserted, so a resent event never counts twice.
class HourlyRollup {
 public:
  // `names` gives the numbers rollup_names keeps for sites and apps. `receivedAt`, when the
  // batch arrived, is the newest a fact about the laptop can be: a laptop's clock is its own.
  HourlyRollup(Poco::Data::Session& session, std::string deviceId, NameIds& names,
               common::Timestamp receivedAt);

  // `event` must have been checked by common::decodeBatch. `stored` is the event as
  // toStoredEvent keeps it: the rollups read the fields kept as columns from it rather than
  // look them up in the payload again.
  void add(const common::Event& event, const StoredEvent& stored);
  void add(const common::Event& event) { add(event, toStoredEvent(event)); }
  void write();

 private:
  using Hour = std::int64_t;
  using Milliseconds = std::int64_t;
  // (hour, member, profile, category, action) → count
  using DnsKey = std::tuple<Hour, std::string, std::string, std::string, int>;
  // (hour, action, domain, category) → count
  using DomainKey = std::tuple<Hour, int, std::string, std::string>;
  // (hour, member, app) → seconds
  using AppKey = std::tuple<Hour, std::string, std::string>;
  // (hour, kind, member) → count
  using CountKey = std::tuple<Hour, int, std::string>;

  // The newest of one kind of fact about the device in this batch, with its time.
  template <typename Fact>
  struct Latest {
    Milliseconds at = -1;
    Fact fact{};
    void offer(Milliseconds time, Fact candidate) {
      if (time >= at) {
        at = time;
        fact = std::move(candidate);
      }
    }
  };
  struct Heartbeat {
    std::string agentVersion;
    std::int64_t queueDepth = 0;
  };
  struct SelfTest {
    bool passed = false;
    std::string failures;  // JSON array
  };

  void addDnsDecision(const common::Event& event, const StoredEvent& stored);
  void addAppUsage(const common::Event& event, const StoredEvent& stored);
  void addLatest(const common::Event& event, const StoredEvent& stored);
  void count(const common::Event& event, RollupCount kind, std::int64_t amount = 1);
  // When a fact was so, no later than when it arrived.
  Milliseconds factTime(common::Timestamp time) const;
  void writeDns();
  void writeApps();
  void writeCounts();
  void writeDays();  // the per-day totals of sqlite_day_rollups.hpp
  void writeDevice();
  std::int64_t nameId(const std::string& name) { return names_.idOf(session_, name); }

  Poco::Data::Session& session_;
  std::string deviceId_;
  NameIds& names_;
  Milliseconds receivedAt_;
  std::map<DnsKey, std::int64_t> dns_;
  std::map<DomainKey, std::int64_t> domains_;
  std::map<AppKey, std::int64_t> apps_;
  std::map<CountKey, std::int64_t> counts_;
  Milliseconds lastEventAt_ = -1;
  Latest<Heartbeat> heartbeat_;
  Latest<SelfTest> selfTest_;
  Latest<std::string> member_;  // who signed in; empty after a sign-out
  Latest<std::string> osUser_;  // who logged in; empty after a logout
  Latest<std::string> app_;     // the app in front, as of the end of its interval
};

// Deletes the rollup hours and days before the UTC day of `cutoff` (so up to 23 hours more are
// kept); returns how many hourly rows went. The latest facts per device (rollup_devices) stay:
// they are one row per laptop.
std::size_t deleteRollupsBefore(Poco::Data::Session& session, common::Timestamp cutoff);

}  // namespace clubsafe::collector
