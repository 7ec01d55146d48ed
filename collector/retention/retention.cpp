#include "collector/retention/retention.hpp"

#include "common/time.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::collector {

std::chrono::days RetentionPeriods::of(common::RetentionClass retentionClass) const {
  switch (retentionClass) {
    case common::RetentionClass::Health:
      return health;
    case common::RetentionClass::Usage:
      return usage;
    case common::RetentionClass::Safeguarding:
      return safeguarding;
  }
  return health;
}

std::size_t purgeExpiredEvents(EventStore& events, const RetentionPeriods& periods,
                               common::Timestamp now) {
  std::size_t deleted = 0;
  for (const auto& info : common::allEventTypes()) {
    deleted += events.deleteEventsBefore(info.type, now - periods.of(info.retention));
  }
  return deleted;
}

RetentionPurger::RetentionPurger(EventStore& events, ReadModel& readModel, AccessLog& accessLog,
                                 RetentionPeriods periods, std::chrono::milliseconds interval)
    : events_(events),
      readModel_(readModel),
      accessLog_(accessLog),
      periods_(periods),
      job_("Deleting records past their retention", interval, [this] { purge(); }) {}

void RetentionPurger::purge() {
  const auto now = common::nowUtc();
  if (const auto deleted = purgeExpiredEvents(events_, periods_, now); deleted > 0) {
    spdlog::info("Deleted {} events that were past their retention period.", deleted);
  }
  if (const auto deleted = readModel_.deleteRollupsBefore(now - periods_.rollups); deleted > 0) {
    spdlog::info("Deleted {} hourly totals that were past retention.rollup_days.", deleted);
  }
  if (const auto deleted = accessLog_.deleteAccessBefore(now - periods_.accessLog); deleted > 0) {
    spdlog::info("Deleted {} access log records past retention.access_log_days.", deleted);
  }
  // Last, once the rows that named them are gone; the count only, as a name may be a person's.
  if (namesSweptAt_ && now - *namesSweptAt_ < kNamesSweptEvery) return;
  namesSweptAt_ = now;
  if (const auto deleted = events_.deleteUnreferencedNames(); deleted > 0) {
    spdlog::info("Deleted {} names no record refers to any more.", deleted);
  }
}

}  // namespace clubsafe::collector
