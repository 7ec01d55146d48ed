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

RetentionPurger::RetentionPurger(EventStore& events, ReadModel& readModel, RetentionPeriods periods,
                                 std::chrono::milliseconds interval)
    : events_(events),
      readModel_(readModel),
      periods_(periods),
      interval_(interval),
      thread_([this] { run(); }) {}

RetentionPurger::~RetentionPurger() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RetentionPurger::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      const auto now = common::nowUtc();
      if (const auto deleted = purgeExpiredEvents(events_, periods_, now); deleted > 0) {
        spdlog::info("Deleted {} events that were past their retention period.", deleted);
      }
      if (const auto deleted = readModel_.deleteRollupsBefore(now - periods_.rollups);
          deleted > 0) {
        spdlog::info("Deleted {} hourly totals that were past retention.rollup_days.", deleted);
      }
    } catch (const std::exception& error) {
      spdlog::error("Deleting records past their retention failed; it is tried again later: {}",
                    error.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace clubsafe::collector
