#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>

namespace clubsafe::collector {

// At most `capacity` console password hashes at once. Each scrypt check takes 32 MiB for about
// 0.1 s; without a bound every server thread could hold one (16 × 32 MiB), and the machine has
// only its cores to run them on anyway.
//
// A mutex and condition variable rather than std::counting_semaphore: libstdc++ 12's semaphore
// can miss a wake-up under contention (GCC bug 98033), and a sign-in stuck there for good
// would hold a server thread.
class PasswordCheckSlots {
 public:
  // Holds one slot until it is destroyed.
  class Slot {
   public:
    explicit Slot(PasswordCheckSlots& owner) : owner_(&owner) {}
    Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    PasswordCheckSlots* owner_;
  };

  // `capacity` is at least 1.
  explicit PasswordCheckSlots(std::size_t capacity);

  // A slot, waiting up to `wait` for one; nullopt when none came free in time.
  [[nodiscard]] std::optional<Slot> tryTake(std::chrono::milliseconds wait);
  // A slot, however long it takes: for callers who already proved who they are.
  [[nodiscard]] Slot take();

 private:
  void giveBack();

  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t free_;
};

}  // namespace clubsafe::collector
