#include "agent/sources/source_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace clubsafe::agent::sources {
namespace {

// A mistyped interval of 0 must not turn the agent into a busy loop; tests use intervals of
// a few milliseconds to make many events quickly.
constexpr std::chrono::milliseconds kShortestInterval{5};

}  // namespace

void SourceScheduler::add(std::unique_ptr<Source> source) {
  sources_.push_back(std::move(source));
}

void SourceScheduler::pollAndSave(Source& source) {
  std::vector<common::Event> events;
  polling_.store(&source);
  pollStarted_.store(std::max<std::chrono::steady_clock::rep>(
      std::chrono::steady_clock::now().time_since_epoch().count(), 1));
  struct PollEnds {
    SourceScheduler& scheduler;
    ~PollEnds() { scheduler.pollStarted_.store(0); }
  } pollEnds{*this};
  try {
    events = source.poll();
  } catch (const std::exception& error) {
    spdlog::warn("Recording {} failed this time and is tried again later: {}", source.name(),
                 error.what());
    return;
  }
  for (auto& event : events) {
    if (const auto saved = outbox_.append(event); !saved.ok()) {
      spdlog::error("A {} event could not be saved and is lost: {}", source.name(),
                    saved.message());
    }
  }
  spdlog::debug("Recorded {} {} events.", events.size(), source.name());
}

std::optional<SourceScheduler::Busy> SourceScheduler::busyLongerThan(
    std::chrono::steady_clock::duration limit) const {
  const auto started = pollStarted_.load();
  const auto* source = polling_.load();
  if (started == 0 || source == nullptr) return std::nullopt;
  const auto running = std::chrono::steady_clock::now().time_since_epoch() -
                       std::chrono::steady_clock::duration(started);
  if (running <= limit) return std::nullopt;
  return Busy{source->name(), running};
}

void SourceScheduler::run() {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> due(sources_.size(), Clock::now());
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = std::min_element(due.begin(), due.end());
    if (next == due.end()) {
      wake_.wait(lock, [this] { return stopping_; });
      break;
    }
    if (wake_.wait_until(lock, *next, [this] { return stopping_; })) break;
    lock.unlock();
    auto& source = *sources_[static_cast<std::size_t>(next - due.begin())];
    pollAndSave(source);
    // From the time it was due, so polls do not drift later by the time each takes.
    *next = std::max(*next + std::max<Clock::duration>(source.interval(), kShortestInterval),
                     Clock::now());
    lock.lock();
  }
}

void SourceScheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::sources
