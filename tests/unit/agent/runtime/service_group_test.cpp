#include "agent/runtime/service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace clubsafe::agent::runtime {
namespace {

// Writes "start NAME" and "stop NAME" to a shared journal; throws on start when told to.
class RecordingService final : public Service {
 public:
  RecordingService(std::string name, std::vector<std::string>& journal, bool failStart = false)
      : name_(std::move(name)), journal_(journal), failStart_(failStart) {}

  [[nodiscard]] std::string_view name() const override { return name_; }
  void start() override {
    if (failStart_) throw std::runtime_error("port 53 is taken.");
    journal_.push_back("start " + name_);
    running_ = true;
  }
  void stop() override {
    if (!running_) return;
    running_ = false;
    journal_.push_back("stop " + name_);
  }

 private:
  std::string name_;
  std::vector<std::string>& journal_;
  bool failStart_;
  bool running_ = false;
};

TEST(ServiceGroupTest, StartsInOrderAndStopsInReverse) {
  std::vector<std::string> journal;
  ServiceGroup group;
  for (const char* name : {"outbox", "dns", "upload"}) {
    group.add(std::make_unique<RecordingService>(name, journal));
  }
  group.start();
  group.stop();
  EXPECT_EQ(journal, (std::vector<std::string>{"start outbox", "start dns", "start upload",
                                               "stop upload", "stop dns", "stop outbox"}));
}

TEST(ServiceGroupTest, AFailedStartStopsWhatStartedInReverseAndNamesTheService) {
  std::vector<std::string> journal;
  ServiceGroup group;
  group.add(std::make_unique<RecordingService>("outbox", journal));
  group.add(std::make_unique<RecordingService>("upload", journal));
  group.add(std::make_unique<RecordingService>("DNS filter", journal, true));
  group.add(std::make_unique<RecordingService>("notices", journal));
  try {
    group.start();
    FAIL() << "start should have thrown";
  } catch (const ServiceStartError& error) {
    EXPECT_STREQ(error.what(),
                 "The agent could not start DNS filter: port 53 is taken. What had started has "
                 "been stopped again.");
  }
  EXPECT_EQ(journal, (std::vector<std::string>{"start outbox", "start upload", "stop upload",
                                               "stop outbox"}));
  group.stop();  // nothing more to stop
  EXPECT_EQ(journal.size(), 4U);
}

TEST(ServiceGroupTest, StoppingTwiceOrOnDestructionStopsOnce) {
  std::vector<std::string> journal;
  {
    ServiceGroup group;
    group.add(std::make_unique<RecordingService>("a", journal));
    group.add(std::make_unique<RecordingService>("b", journal));
    group.start();
    group.stop();
    group.stop();
  }
  EXPECT_EQ(journal, (std::vector<std::string>{"start a", "start b", "stop b", "stop a"}));
}

TEST(ServiceGroupTest, TheGroupStopsItsServicesWhenItGoesAway) {
  std::vector<std::string> journal;
  {
    ServiceGroup group;
    group.add(std::make_unique<RecordingService>("a", journal));
    group.start();
  }
  EXPECT_EQ(journal, (std::vector<std::string>{"start a", "stop a"}));
}

TEST(ThreadServiceTest, RunsItsBodyUntilHaltedAndStopsOnce) {
  std::mutex mutex;
  std::condition_variable wake;
  bool halted = false;
  std::atomic<int> bodies{0};
  std::atomic<int> halts{0};
  ThreadService service(
      "uploader",
      [&] {
        ++bodies;
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return halted; });
      },
      [&] {
        ++halts;
        {
          const std::lock_guard lock(mutex);
          halted = true;
        }
        wake.notify_all();
      });
  service.stop();  // not started: nothing to halt
  service.start();
  service.stop();
  service.stop();
  EXPECT_EQ(bodies.load(), 1);
  EXPECT_EQ(halts.load(), 1);
}

TEST(ActionServiceTest, UndoesOnlyWhatItDid) {
  std::vector<std::string> journal;
  ActionService failing(
      "resolver", [] { throw std::runtime_error("read-only /etc"); },
      [&] { journal.push_back("restore"); });
  EXPECT_THROW(failing.start(), std::runtime_error);
  failing.stop();
  EXPECT_TRUE(journal.empty());

  ActionService working(
      "resolver", [&] { journal.push_back("take over"); }, [&] { journal.push_back("restore"); });
  working.start();
  working.stop();
  working.stop();
  EXPECT_EQ(journal, (std::vector<std::string>{"take over", "restore"}));
}

}  // namespace
}  // namespace clubsafe::agent::runtime
