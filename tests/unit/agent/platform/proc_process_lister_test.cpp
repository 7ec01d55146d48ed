#include "agent/platform/process_lister.hpp"

#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

namespace clubsafe::agent::platform {
namespace {

// Ends the child whatever the test does.
class Child {
 public:
  explicit Child(Poco::ProcessHandle handle) : handle_(std::move(handle)) {}
  ~Child() {
    Poco::Process::kill(handle_);
    (void)handle_.wait();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] int pid() const { return handle_.id(); }

 private:
  Poco::ProcessHandle handle_;
};

// The child as listed once it has started `sleep`: right after fork it still runs our image.
std::optional<ProcessInfo> findAfterExec(int pid, const std::string& name) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::optional<ProcessInfo> found;
  do {
    for (const auto& process : makeProcessLister()->list()) {
      if (process.pid == pid) found = process;
    }
    if (found && found->name == name) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  return found;
}

TEST(ProcProcessListerTest, FindsARunningChildWithItsUserAndExecutableName) {
  const Child child(Poco::Process::launch("sleep", {"30"}));
  const auto found = findAfterExec(child.pid(), "sleep");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->uid, ::getuid());
  EXPECT_EQ(found->name, "sleep");
  EXPECT_FALSE(found->user.empty());
}

TEST(ProcProcessListerTest, ListsThisProcessButNoKernelThreads) {
  const auto processes = makeProcessLister()->list();
  EXPECT_TRUE(std::any_of(processes.begin(), processes.end(),
                          [](const ProcessInfo& p) { return p.pid == ::getpid(); }));
  // kthreadd (pid 2) is the parent of every kernel thread; in a container it is not visible.
  EXPECT_FALSE(std::any_of(processes.begin(), processes.end(),
                           [](const ProcessInfo& p) { return p.name == "kthreadd"; }));
}

}  // namespace
}  // namespace clubsafe::agent::platform
