#pragma once

#include "collector/storage/event_store.hpp"
#include "collector/storage/read_model.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace clubsafe::collector {

// How long each class of event is kept (common::RetentionClass), from the retention settings.
struct RetentionPeriods {
  std::chrono::days health{30};
  std::chrono::days usage{365};
  std::chrono::days safeguarding{6 * 365};
  std::chrono::days rollups{730};  // the read model's hourly totals (retention.rollup_days)

  [[nodiscard]] std::chrono::days of(common::RetentionClass retentionClass) const;
};

// Deletes every event older than its class's period at `now`; returns how many went.
std::size_t purgeExpiredEvents(EventStore& events, const RetentionPeriods& periods,
                               common::Timestamp now);

// Purges events and rollups at start and then every `interval` on a thread of its own, until
// destroyed.
class RetentionPurger {
 public:
  RetentionPurger(EventStore& events, ReadModel& readModel, RetentionPeriods periods,
                  std::chrono::milliseconds interval);
  ~RetentionPurger();
  RetentionPurger(const RetentionPurger&) = delete;
  RetentionPurger& operator=(const RetentionPurger&) = delete;

 private:
  void run();

  EventStore& events_;
  ReadModel& readModel_;
  RetentionPeriods periods_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace clubsafe::collector
