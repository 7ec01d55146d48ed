#pragma once

#include "agent/outbox/outbox.hpp"
#include "agent/sources/source.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace clubsafe::agent::sources {

// Polls every source at its own interval on one thread, first at start, and appends what they
// record to the outbox. A source that never finishes a poll holds up only its own scheduler's
// thread; busyLongerThan() lets another thread see it.
class SourceScheduler {
 public:
  struct Busy {
    std::string_view source;  // its name, valid as long as the scheduler
    std::chrono::steady_clock::duration running;
  };

  explicit SourceScheduler(outbox::Outbox& outbox) : outbox_(outbox) {}

  void add(std::unique_ptr<Source> source);

  // Polls until stop(), which another thread may call at any time and which ends the wait at once.
  void run();
  void stop();

  // Polls one source and saves its events; public so a test can drive it without a thread.
  void pollAndSave(Source& source);

  // Any thread: the source whose poll has been running longer than `limit`, if one has.
  [[nodiscard]] std::optional<Busy> busyLongerThan(std::chrono::steady_clock::duration limit) const;

 private:
  outbox::Outbox& outbox_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  // The poll in progress: its source and the steady clock's count when it began (0: none).
  std::atomic<const Source*> polling_{nullptr};
  std::atomic<std::chrono::steady_clock::rep> pollStarted_{0};
};

}  // namespace clubsafe::agent::sources
