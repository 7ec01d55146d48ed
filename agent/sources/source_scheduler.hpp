#pragma once

#include "agent/outbox/outbox.hpp"
#include "agent/sources/source.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace clubsafe::agent::sources {

// Polls every source at its own interval on one thread, first at start, and appends what they
// record to the outbox.
class SourceScheduler {
 public:
  explicit SourceScheduler(outbox::Outbox& outbox) : outbox_(outbox) {}

  void add(std::unique_ptr<Source> source);

  // Polls until stop(), which another thread may call at any time and which ends the wait at once.
  void run();
  void stop();

  // Polls one source and saves its events; public so a test can drive it without a thread.
  void pollAndSave(Source& source);

 private:
  outbox::Outbox& outbox_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace clubsafe::agent::sources
