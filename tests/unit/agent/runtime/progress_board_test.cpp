#include "agent/runtime/progress_board.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace clubsafe::agent::runtime {
namespace {

using namespace std::chrono_literals;

TEST(ProgressBoardTest, FeedsOnlyWhileEveryThreadBeatsWithinItsLimit) {
  int fed = 0;
  ProgressBoard board([&] { ++fed; });
  Heartbeat uploader;
  Heartbeat dns;
  board.watch("uploader", uploader, 60s);
  board.watch("DNS filter", dns, 10s);
  const auto now = Heartbeat::Clock::now();
  board.feedIfAllProgressing(now);
  EXPECT_EQ(fed, 1);
  board.feedIfAllProgressing(now + 11s);  // the DNS filter is late
  EXPECT_EQ(fed, 1);
  dns.beat();
  board.feedIfAllProgressing(Heartbeat::Clock::now() + 9s);
  EXPECT_EQ(fed, 2);
  board.feedIfAllProgressing(Heartbeat::Clock::now() + 61s);  // both late
  EXPECT_EQ(fed, 2);
}

TEST(ProgressBoardTest, ALimitShorterThanTheBeatOfAWaitingThreadIsRaised) {
  int fed = 0;
  ProgressBoard board([&] { ++fed; });
  Heartbeat idle;
  board.watch("index file watch", idle, 1s);
  board.feedIfAllProgressing(Heartbeat::Clock::now() + kBeatEvery + 1s);
  EXPECT_EQ(fed, 1);
  board.feedIfAllProgressing(Heartbeat::Clock::now() + 2 * kBeatEvery + 1s);
  EXPECT_EQ(fed, 1);
}

TEST(ProgressBoardTest, WithNothingWatchedItFeeds) {
  int fed = 0;
  ProgressBoard board([&] { ++fed; });
  board.feedIfAllProgressing();
  EXPECT_EQ(fed, 1);
}

TEST(WaitBeatingTest, AnIdleWaitKeepsBeatingAndEndsAtItsDeadline) {
  std::mutex mutex;
  std::condition_variable wake;
  Heartbeat heartbeat;
  std::unique_lock lock(mutex);
  const auto before = Heartbeat::Clock::now();
  EXPECT_FALSE(waitBeating(wake, lock, 50ms, heartbeat, [] { return false; }));
  EXPECT_GE(Heartbeat::Clock::now() - before, 50ms);
  // Beaten as the wait ended.
  EXPECT_LT(heartbeat.silentFor(Heartbeat::Clock::now()), 50ms);
}

TEST(WaitBeatingTest, EndsAtOnceWhenToldToStop) {
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  Heartbeat heartbeat;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    {
      const std::lock_guard guard(mutex);
      stopping = true;
    }
    wake.notify_all();
  });
  std::unique_lock lock(mutex);
  const auto before = Heartbeat::Clock::now();
  EXPECT_TRUE(waitBeating(wake, lock, 1h, heartbeat, [&] { return stopping; }));
  EXPECT_LT(Heartbeat::Clock::now() - before, 10s);
  lock.unlock();
  stopper.join();
}

}  // namespace
}  // namespace clubsafe::agent::runtime
