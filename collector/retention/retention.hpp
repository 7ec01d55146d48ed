#pragma once

#include "collector/jobs/periodic_job.hpp"
#include "collector/storage/access_log.hpp"
#include "collector/storage/event_store.hpp"
#include "collector/storage/read_model.hpp"

#include <chrono>
#include <optional>

namespace clubsafe::collector {

// How long each class of event is kept (common::RetentionClass), from the retention settings.
struct RetentionPeriods {
  std::chrono::days health{30};
  std::chrono::days usage{365};
  std::chrono::days safeguarding{6 * 365};
  std::chrono::days rollups{730};     // the read model's hourly totals (retention.rollup_days)
  std::chrono::days accessLog{2190};  // retention.access_log_days

  [[nodiscard]] std::chrono::days of(common::RetentionClass retentionClass) const;
};

// Deletes every event older than its class's period at `now`; returns how many went.
std::size_t purgeExpiredEvents(EventStore& events, const RetentionPeriods& periods,
                               common::Timestamp now);

// Purges events, rollups and the access log at start and then every `interval` on a thread of its
// own, until destroyed; and the names nothing refers to any more at start and then once a day.
class RetentionPurger {
 public:
  RetentionPurger(EventStore& events, ReadModel& readModel, AccessLog& accessLog,
                  RetentionPeriods periods, std::chrono::milliseconds interval);

 private:
  // A sweep of the names reads every column without an index whole, under the write lock (0.6 s
  // of CPU for 1.2 million events, docs/ARCHITECTURE.md, "Retention"): a day is soon enough.
  static constexpr std::chrono::hours kNamesSweptEvery{24};

  void purge();

  EventStore& events_;
  ReadModel& readModel_;
  AccessLog& accessLog_;
  RetentionPeriods periods_;
  std::optional<common::Timestamp> namesSweptAt_;  // used on the job's thread only
  PeriodicJob job_;  // last: it starts at once and uses the members above
};

}  // namespace clubsafe::collector
