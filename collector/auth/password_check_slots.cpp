#include "collector/auth/password_check_slots.hpp"

#include <algorithm>

namespace clubsafe::collector {

PasswordCheckSlots::Slot::~Slot() {
  if (owner_ != nullptr) owner_->giveBack();
}

PasswordCheckSlots::PasswordCheckSlots(std::size_t capacity)
    : free_(std::max<std::size_t>(capacity, 1)) {}

std::optional<PasswordCheckSlots::Slot> PasswordCheckSlots::tryTake(
    std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, wait, [this] { return free_ > 0; })) return std::nullopt;
  --free_;
  return Slot(*this);
}

PasswordCheckSlots::Slot PasswordCheckSlots::take() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return free_ > 0; });
  --free_;
  return Slot(*this);
}

void PasswordCheckSlots::giveBack() {
  {
    const std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace clubsafe::collector
