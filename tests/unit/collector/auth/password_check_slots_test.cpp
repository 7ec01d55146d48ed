#include "collector/auth/password_check_slots.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;

TEST(PasswordCheckSlots, NeverMoreAtOnceThanTheCapacity) {
  PasswordCheckSlots slots(2);
  std::atomic<int> holding{0};
  std::atomic<int> most{0};
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        for (int round = 0; round < 5; ++round) {
          const auto slot = i % 2 == 0 ? slots.take() : *slots.tryTake(10s);
          const int now = ++holding;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(2ms);
          --holding;
        }
      });
    }
  }
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(holding.load(), 0);
}

TEST(PasswordCheckSlots, AWaitEndsEmptyHandedWhenNoSlotComesFree) {
  PasswordCheckSlots slots(1);
  const auto held = slots.take();
  const auto before = std::chrono::steady_clock::now();
  EXPECT_FALSE(slots.tryTake(50ms).has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - before, 50ms);
  EXPECT_FALSE(slots.tryTake(0ms).has_value());
}

TEST(PasswordCheckSlots, AWaiterGetsTheSlotGivenBack) {
  PasswordCheckSlots slots(1);
  std::optional<PasswordCheckSlots::Slot> held = slots.take();
  std::atomic<bool> got{false};
  std::jthread waiter([&] { got = slots.tryTake(10s).has_value(); });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_TRUE(slots.tryTake(0ms).has_value());  // and gave it back in turn
}

}  // namespace
}  // namespace clubsafe::collector
