#pragma once

#include "agent/outbox/outbox.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "agent/upload/backoff.hpp"
#include "agent/upload/batch_sender.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace clubsafe::agent::upload {

struct UploaderOptions {
  std::string deviceId;
  std::size_t batchSize = 1000;
  std::chrono::milliseconds idleInterval{2000};  // between looks at an empty outbox
  std::chrono::milliseconds backoffInitial{1000};
  std::chrono::milliseconds backoffMax{300'000};
};

// Moves events from the outbox to the collector. Rows are deleted only after the collector
// has said it holds them; on any failure they stay, the error is recorded for `status`, and
// the next attempt waits with back-off. A batch the collector refuses as malformed (400) is
// split in halves, without waiting, until each refused event is alone; that event is set aside
// in the outbox and reported in a `rejected` event, so one bad event never holds up the rest.
class Uploader {
 public:
  Uploader(outbox::Outbox& outbox, BatchSender& sender, UploaderOptions options,
           std::uint64_t seed = std::random_device{}());

  // Sends at most one batch and returns how long to wait before the next attempt.
  [[nodiscard]] std::chrono::milliseconds uploadOnce();

  // Calls uploadOnce until stop(), which another thread may call at any time and which ends
  // the wait at once.
  void run();
  void stop();
  // Ends the wait between uploads at once, for an urgent event (Outbox::setOnCritical); a wait
  // that backs off from a failure is kept, so an outage is not hammered.
  void sendSoon();

  // The batch size the next attempt uses: smaller than configured after a 413.
  [[nodiscard]] std::size_t batchSize() const { return batchSize_; }
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  enum class Link { Unknown, Up, Down };

  std::chrono::milliseconds delivered(std::size_t sent, std::int64_t waiting,
                                      const std::vector<std::int64_t>& sequences,
                                      std::int64_t highestSequence);
  std::chrono::milliseconds tooLarge(std::size_t sent, const std::string& message);
  std::chrono::milliseconds malformed(std::vector<outbox::PendingEvent> batch,
                                      const std::string& reason);
  std::chrono::milliseconds setAside(const outbox::PendingEvent& event, const std::string& reason);
  // Records the problem for `status`, logs it when it is new, and backs off.
  std::chrono::milliseconds failed(Link link, const std::string& message);
  void recordError(const std::string& message);

  outbox::Outbox& outbox_;
  BatchSender& sender_;
  UploaderOptions options_;
  Backoff backoff_;
  std::size_t batchSize_;
  Link link_ = Link::Unknown;
  std::string lastProblem_;
  // Parts of a batch refused as malformed, sent last first before anything new.
  std::vector<std::vector<outbox::PendingEvent>> suspects_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool urgent_ = false;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::upload
