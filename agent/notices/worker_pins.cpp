#include "agent/notices/worker_pins.hpp"

#include "common/notice_protocol.hpp"
#include "common/password_hash.hpp"

#include <algorithm>

namespace clubsafe::agent::notices {

namespace {

bool wellFormed(std::string_view pin) {
  return pin.size() >= common::notice::kMinPinLength &&
         pin.size() <= common::notice::kMaxPinLength &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

WorkerPins::WorkerPins(SteadyClock clock) : clock_(std::move(clock)) {}

void WorkerPins::setWorkers(std::vector<common::Worker> workers) {
  const std::lock_guard lock(mutex_);
  workers_ = std::move(workers);
}

PinCheck WorkerPins::check(std::string_view pin) {
  const std::lock_guard checking(checkMutex_);
  std::vector<common::Worker> workers;
  {
    const std::lock_guard lock(mutex_);
    workers = workers_;
  }
  if (workers.empty()) return {PinCheck::Outcome::NoWorkers, {}, {}};
  const auto now = clock_();
  if (now < lockedUntil_) {
    return {PinCheck::Outcome::LockedOut,
            {},
            std::chrono::ceil<std::chrono::seconds>(lockedUntil_ - now)};
  }
  if (!wellFormed(pin)) return {PinCheck::Outcome::Wrong, {}, {}};
  for (const auto& worker : workers) {
    if (common::verifyPassword(pin, worker.pinHash)) {
      wrong_.clear();
      return {PinCheck::Outcome::Ok, worker.name, {}};
    }
  }
  while (!wrong_.empty() && now - wrong_.front() >= kWrongPinWindow) wrong_.pop_front();
  wrong_.push_back(now);
  if (wrong_.size() >= kMaxWrongPins) {
    wrong_.clear();
    lockedUntil_ = now + kLockout;
    return {PinCheck::Outcome::LockedOut, {}, kLockout};
  }
  return {PinCheck::Outcome::Wrong, {}, {}};
}

}  // namespace clubsafe::agent::notices
