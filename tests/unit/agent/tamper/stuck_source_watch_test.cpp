#include "agent/tamper/stuck_source_watch.hpp"

#include "agent/outbox/outbox.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace clubsafe::agent::tamper {
namespace {

using std::chrono::milliseconds;

// A source whose poll waits until the test lets it go, as one reading a hostile file would.
class HeldSource final : public sources::Source {
 public:
  [[nodiscard]] std::string_view name() const override { return "browser history"; }
  [[nodiscard]] milliseconds interval() const override { return milliseconds(10); }
  [[nodiscard]] std::vector<common::Event> poll() override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !held_; });
    return {};
  }
  void hold(bool held) {
    {
      const std::lock_guard lock(mutex_);
      held_ = held;
    }
    released_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool held_ = true;
};

class StuckSourceWatchTest : public ::testing::Test {
 protected:
  StuckSourceWatchTest() {
    auto source = std::make_unique<HeldSource>();
    source_ = source.get();
    scheduler_.add(std::move(source));
  }
  ~StuckSourceWatchTest() override {
    scheduler_.stop();
    source_->hold(false);
    if (thread_.joinable()) thread_.join();
  }

  clubsafe::testing::TempDir dir_;
  outbox::Outbox outbox_{dir_.file("outbox.db"), outbox::Outbox::Access::ReadWrite};
  sources::SourceScheduler scheduler_{outbox_};
  HeldSource* source_ = nullptr;
  std::thread thread_;
};

// The watch's events once one comes, within 5 s; none if none came.
std::vector<common::Event> firstReport(StuckSourceWatch& watch) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto events = watch.poll(); !events.empty()) return events;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return {};
}

TEST_F(StuckSourceWatchTest, ASourceThatDoesNotFinishIsReportedOnceEachTimeItSticks) {
  StuckSourceWatch watch({&scheduler_}, milliseconds(300), milliseconds(10));
  EXPECT_TRUE(watch.poll().empty());  // not polled yet: nothing is running
  const auto started = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { scheduler_.run(); });
  const auto stuck = firstReport(watch);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(300));
  ASSERT_EQ(stuck.size(), 1U);
  EXPECT_EQ(stuck[0].type, common::EventType::Tamper);
  EXPECT_EQ(stuck[0].payload->getValue<std::string>("kind"), "source_stuck");
  EXPECT_NE(stuck[0].payload->getValue<std::string>("detail").find("browser history"),
            std::string::npos);
  EXPECT_TRUE(watch.poll().empty());  // told once, not at every look

  source_->hold(false);  // it finishes, and its next polls do too
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(watch.poll().empty());
  source_->hold(true);  // stuck again: told again
  EXPECT_EQ(firstReport(watch).size(), 1U);
}

// systemd's watchdog is fed after each look that finds nothing stuck, and not while one is.
TEST_F(StuckSourceWatchTest, FeedsTheWatchdogOnlyWhileNoSourceIsStuck) {
  int fed = 0;
  StuckSourceWatch watch({&scheduler_}, milliseconds(300), milliseconds(10), [&fed] { ++fed; });
  (void)watch.poll();
  EXPECT_EQ(fed, 1);
  thread_ = std::thread([this] { scheduler_.run(); });
  ASSERT_EQ(firstReport(watch).size(), 1U);
  const int fedBeforeStuck = fed;
  (void)watch.poll();
  (void)watch.poll();
  EXPECT_EQ(fed, fedBeforeStuck);
  source_->hold(false);
  std::this_thread::sleep_for(milliseconds(50));
  (void)watch.poll();
  EXPECT_EQ(fed, fedBeforeStuck + 1);
}

}  // namespace
}  // namespace clubsafe::agent::tamper
