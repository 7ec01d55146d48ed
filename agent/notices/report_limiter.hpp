#pragma once

#include "agent/outbox/outbox.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "common/event.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace clubsafe::agent::notices {

// How many of each kind one account may send in a window before the rest are folded together.
// Generous: a person at a laptop sends a handful an hour; a program sends thousands a second.
struct ReportLimits {
  std::chrono::milliseconds window = std::chrono::minutes(10);
  int worryReports = 10;
  int reviewRequests = 20;
  int acknowledgements = 10;
  std::function<common::Timestamp()> clock;  // common::nowUtc unless a test sets one
};

// Per-account rate limits for what people send through the notice socket and the block page:
// worry reports, review requests and acknowledgements. One limiter serves both, so an account
// has one allowance wherever it sends from. In each window the first `limit` of a kind go to the
// outbox as they come; the rest are folded into one event (the last one's words, its payload's
// `count` saying how many it stands for), written when the window ends. So a young person's
// worry always gets through, a flood costs the outbox one event per account and window, and
// nothing is lost without a count. Other events pass straight to the outbox. Thread-safe.
class ReportLimiter {
 public:
  ReportLimiter(outbox::Outbox& outbox, ReportLimits limits);
  ReportLimiter(const ReportLimiter&) = delete;
  ReportLimiter& operator=(const ReportLimiter&) = delete;

  // Saves `event` now, or folds it to be saved when its window ends; the outbox's failure when
  // saving fails.
  outbox::Status submit(common::Event event);

  // Writes the folded events whose window has ended, or all of them; returns how many.
  std::size_t flush(bool all = false);

  // Flushes every second until stop(), then writes everything still folded.
  void run();
  void stop();
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  using Key = std::pair<std::string, common::EventType>;  // the account, the kind
  struct Window {
    common::Timestamp start;
    int sent = 0;
    std::optional<common::Event> folded;  // the last one beyond the limit
    std::int64_t count = 0;               // how many were folded
  };

  [[nodiscard]] std::optional<int> limitFor(common::EventType type) const;
  // With mutex_ held: the folded event of `window` with its count, ready to save.
  static common::Event takeFolded(Window& window);
  void save(common::Event& event);

  outbox::Outbox& outbox_;
  ReportLimits limits_;
  std::mutex mutex_;
  std::map<Key, Window> windows_;

  std::mutex runMutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::notices
