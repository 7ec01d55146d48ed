#include "agent/notices/worker_pins.hpp"

#include "common/password_hash.hpp"
#include "tests/unit/common/cheap_password_hash.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace clubsafe::agent::notices {
namespace {

using Outcome = PinCheck::Outcome;
using std::chrono::minutes;
using std::chrono::seconds;

// The OS seam: a steady clock the tests move.
class PinsTest : public ::testing::Test {
 protected:
  PinsTest() {
    // Cheap scrypt parameters keep the many checks fast; one test uses the real ones.
    pins_.setWorkers({{"Sam", clubsafe::testing::cheapPasswordHash("123456")},
                      {"Ali", clubsafe::testing::cheapPasswordHash("98765432")}});
  }

  std::chrono::steady_clock::time_point now_{std::chrono::hours(1000)};
  WorkerPins pins_{[this] { return now_; }};
};

TEST_F(PinsTest, ARightPinNamesItsWorker) {
  const auto sam = pins_.check("123456");
  EXPECT_EQ(sam.outcome, Outcome::Ok);
  EXPECT_EQ(sam.worker, "Sam");
  EXPECT_EQ(pins_.check("98765432").worker, "Ali");
  const auto wrong = pins_.check("123457");
  EXPECT_EQ(wrong.outcome, Outcome::Wrong);
  EXPECT_TRUE(wrong.worker.empty());
}

TEST_F(PinsTest, APinOfTheRealHashIsChecked) {
  pins_.setWorkers({{"Jo", common::hashPassword("24681357")}});
  EXPECT_EQ(pins_.check("24681357").worker, "Jo");
  EXPECT_EQ(pins_.check("24681358").outcome, Outcome::Wrong);
  EXPECT_EQ(pins_.check("123456").outcome, Outcome::Wrong);  // Sam is no longer a worker
}

TEST_F(PinsTest, WithoutWorkersNoPinIsRight) {
  pins_.setWorkers({});
  EXPECT_EQ(pins_.check("123456").outcome, Outcome::NoWorkers);
}

TEST_F(PinsTest, FiveWrongPinsWithinFifteenMinutesLockEveryPinOutForFifteen) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(pins_.check("000000").outcome, Outcome::Wrong) << i;
    now_ += minutes(3);
  }
  const auto fifth = pins_.check("000000");  // 12 minutes after the first
  EXPECT_EQ(fifth.outcome, Outcome::LockedOut);
  EXPECT_EQ(fifth.retryAfter, minutes(15));
  now_ += minutes(10);
  const auto locked = pins_.check("123456");  // even the right one
  EXPECT_EQ(locked.outcome, Outcome::LockedOut);
  EXPECT_EQ(locked.retryAfter, minutes(5));
  EXPECT_TRUE(locked.worker.empty());
  now_ += minutes(5) - seconds(1);
  EXPECT_EQ(pins_.check("123456").retryAfter, seconds(1));
  now_ += seconds(1);
  EXPECT_EQ(pins_.check("123456").outcome, Outcome::Ok);
  pins_.setWorkers({{"Sam", clubsafe::testing::cheapPasswordHash("123456")}});
  EXPECT_EQ(pins_.check("000000").outcome, Outcome::Wrong);  // the count started again
}

TEST_F(PinsTest, WrongPinsFurtherApartThanTheWindowDoNotLock) {
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(pins_.check("000000").outcome, Outcome::Wrong) << i;
    now_ += minutes(4);  // four in any 15 minutes
  }
}

TEST_F(PinsTest, ARightPinClearsTheCount) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(pins_.check("000000").outcome, Outcome::Wrong);
  EXPECT_EQ(pins_.check("123456").outcome, Outcome::Ok);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(pins_.check("000000").outcome, Outcome::Wrong);
}

TEST_F(PinsTest, APinThatIsNotSixToTwelveDigitsIsWrongAndNotCounted) {
  for (const char* pin : {"", "12345", "1234567890123", "12345a", "12 3456", "１２３４５６"}) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(pins_.check(pin).outcome, Outcome::Wrong) << pin;
  }
  EXPECT_EQ(pins_.check("123456").outcome, Outcome::Ok);
  pins_.setWorkers({{"Max", clubsafe::testing::cheapPasswordHash("123456789012")}});
  EXPECT_EQ(pins_.check("123456789012").worker, "Max");
}

TEST_F(PinsTest, GuessesSentAtOnceAreCountedOneByOne) {
  std::atomic<int> wrong = 0;
  std::atomic<int> locked = 0;
  std::vector<std::thread> guessers;
  for (int i = 0; i < 10; ++i) {
    guessers.emplace_back([&, i] {
      const auto outcome = pins_.check("11111" + std::to_string(i)).outcome;
      if (outcome == Outcome::Wrong) ++wrong;
      if (outcome == Outcome::LockedOut) ++locked;
    });
  }
  for (auto& guesser : guessers) guesser.join();
  EXPECT_EQ(wrong, 4);
  EXPECT_EQ(locked, 6);
}

}  // namespace
}  // namespace clubsafe::agent::notices
