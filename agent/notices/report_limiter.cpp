#include "agent/notices/report_limiter.hpp"

#include "common/time.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace clubsafe::agent::notices {

ReportLimiter::ReportLimiter(outbox::Outbox& outbox, ReportLimits limits)
    : outbox_(outbox), limits_(std::move(limits)) {
  if (!limits_.clock) limits_.clock = common::nowUtc;
}

std::optional<int> ReportLimiter::limitFor(common::EventType type) const {
  switch (type) {
    case common::EventType::WorryReport:
      return limits_.worryReports;
    case common::EventType::ReviewRequest:
      return limits_.reviewRequests;
    case common::EventType::NoticeAcknowledged:
      return limits_.acknowledgements;
    default:
      return std::nullopt;
  }
}

outbox::Status ReportLimiter::submit(common::Event event) {
  const auto limit = limitFor(event.type);
  if (!limit) return outbox_.append(event);
  std::optional<common::Event> ended;
  bool folded = false;
  {
    const std::lock_guard lock(mutex_);
    const auto now = limits_.clock();
    auto& window = windows_[Key{event.osUser, event.type}];
    if (window.sent == 0 || now >= window.start + limits_.window) {
      if (window.folded) ended = takeFolded(window);
      window = Window{now, 0, std::nullopt, 0};
    }
    folded = window.sent >= *limit;
    if (folded) {
      window.folded = std::move(event);
      if (++window.count == 1) {
        // Once per account, kind and window; no name (personal data) at this level.
        spdlog::warn(
            "An account sent more than {} {} events in {} s; the rest of them are "
            "counted together in one event at the end of that time.",
            *limit, common::eventTypeInfo(window.folded->type).name,
            std::chrono::duration_cast<std::chrono::seconds>(limits_.window).count());
      }
    } else {
      ++window.sent;
    }
  }
  if (ended) save(*ended);
  return folded ? outbox::Status::success() : outbox_.append(event);
}

common::Event ReportLimiter::takeFolded(Window& window) {
  auto event = std::move(*window.folded);
  window.folded.reset();
  event.payload->set("count", static_cast<Poco::Int64>(window.count));
  window.count = 0;
  return event;
}

void ReportLimiter::save(common::Event& event) {
  if (const auto saved = outbox_.append(event); !saved.ok()) {
    spdlog::error("A {} event standing for {} could not be saved: {}",
                  common::eventTypeInfo(event.type).name,
                  event.payload->getValue<Poco::Int64>("count"), saved.message());
  }
}

std::size_t ReportLimiter::flush(bool all) {
  std::vector<common::Event> due;
  {
    const std::lock_guard lock(mutex_);
    const auto now = limits_.clock();
    for (auto it = windows_.begin(); it != windows_.end();) {
      auto& window = it->second;
      const bool ended = now >= window.start + limits_.window;
      if (window.folded && (ended || all)) due.push_back(takeFolded(window));
      it = ended ? windows_.erase(it) : std::next(it);
    }
  }
  for (auto& event : due) save(event);
  return due.size();
}

void ReportLimiter::run() {
  std::unique_lock lock(runMutex_);
  while (!runtime::waitBeating(wake_, lock, std::chrono::seconds(1), heartbeat_,
                               [this] { return stopping_; })) {
    lock.unlock();
    (void)flush();
    lock.lock();
  }
  lock.unlock();
  (void)flush(true);
}

void ReportLimiter::stop() {
  {
    const std::lock_guard lock(runMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::notices
