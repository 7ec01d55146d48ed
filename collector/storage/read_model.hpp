#pragma once

#include "collector/club_time/club_time.hpp"
#include "common/event.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clubsafe::collector {

using common::Timestamp;

// The dashboard's figures (SPEC C5), read from the hourly rollups and the devices table only,
// never from raw events (docs/ARCHITECTURE.md, "The read model").

struct SelfTestResult {
  Timestamp at{};
  bool passed = false;
  std::string failures;  // JSON array of what failed, as the laptop sent it
};

// One laptop's coverage over the period.
struct DashboardLaptop {
  std::string deviceId;
  std::string name;
  bool revoked = false;
  std::optional<Timestamp> lastContact = {};  // the last batch it sent
  std::string agentVersion;                   // from its newest heartbeat, else from enrolment
  std::int64_t backlog = 0;                   // events waiting on it, as of its last batch
  std::int64_t eventsDropped = 0;             // lost to a full outbox in the period
  std::int64_t eventsRejected = 0;            // refused by the collector as malformed
  std::int64_t hoursReporting = 0;            // UTC hours of the period in which it sent anything
  std::int64_t silentOpenHours = 0;           // whole opening hours in which it sent nothing
  std::int64_t hoursUsedWhileClosed = 0;      // hours outside opening hours with anyone using it
  std::optional<SelfTestResult> latestSelfTest = {};  // newest ever, not only in the period
};

struct NamedCount {
  std::string name;
  std::string category = {};  // for sites: the category that blocked it, '' for none
  std::int64_t count = 0;
};

// One local week (Monday to Sunday) of the period.
struct WeekFigures {
  std::chrono::local_days monday{};
  std::int64_t blocked = 0;
  std::int64_t allowed = 0;
  std::int64_t appSeconds = 0;
  std::int64_t logins = 0;
  std::int64_t signIns = 0;
};

struct DashboardFigures {
  Timestamp from{};
  Timestamp to{};
  std::int64_t openHours = 0;  // whole opening hours in the period; 0 when none are set
  std::vector<DashboardLaptop> laptops = {};
  std::vector<NamedCount> blockedByCategory = {};  // most first
  std::vector<NamedCount> topBlockedSites = {};
  std::vector<NamedCount> topAllowedSites = {};
  std::vector<NamedCount> topApps = {};  // count is seconds in front
  std::int64_t logins = 0;
  std::int64_t signIns = 0;
  std::int64_t noticesAcknowledged = 0;
  std::int64_t noticesNotAcknowledged = 0;
  std::int64_t searches = 0;
  std::int64_t visits = 0;
  std::int64_t overrides = 0;
  std::int64_t reviewRequests = 0;
  std::int64_t tamper = 0;
  std::int64_t alerts = 0;
  std::vector<WeekFigures> weeks = {};  // every week the period touches, oldest first
};

struct RecentBlock {
  Timestamp minute{};
  std::string domain;
  std::string category;
  std::int64_t count = 0;
};

// A laptop in use now, for the supervising worker.
struct LaptopNow {
  std::string deviceId;
  std::string name;
  Timestamp lastEventAt{};
  std::string member;    // signed in at the notice program; empty for nobody
  std::string osUser;    // logged in to the laptop; empty for nobody
  std::string app = {};  // in front at the end of the latest interval written
  std::optional<Timestamp> appAt = {};
  std::vector<RecentBlock> recentBlocks = {};  // newest first
};

class ReadModel {
 public:
  virtual ~ReadModel() = default;

  // The figures of [from, to); `top` is how many sites and apps each list holds. Weeks and
  // opening hours are those of `clubTime`.
  virtual DashboardFigures dashboard(const ClubTime& clubTime, Timestamp from, Timestamp to,
                                     std::size_t top) = 0;
  // Laptops that sent an event within `window` before `now`, most recent first, with their
  // blocks within that window.
  virtual std::vector<LaptopNow> inUseNow(Timestamp now, std::chrono::minutes window) = 0;
  // The names members signed in with on any laptop from `since` to `now`, as the laptops sent
  // them (from the hourly rollups, so no further back than retention.rollup_days). A sign-in a
  // laptop dated after `now` does not count: it would keep its name until that date.
  virtual std::vector<std::string> membersSignedInBetween(Timestamp since, Timestamp now) = 0;
  // Deletes the rollup hours before `cutoff` (retention.rollup_days); returns how many rows.
  virtual std::size_t deleteRollupsBefore(Timestamp cutoff) = 0;
};

}  // namespace clubsafe::collector
