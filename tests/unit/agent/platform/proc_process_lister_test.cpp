#include "agent/platform/process_lister.hpp"

#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>

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

TEST(ProcProcessListerTest, FindsARunningChildWithItsUserAndExecutableName) {
  const Child child(Poco::Process::launch("sleep", {"30"}));
  const auto processes = makeProcessLister()->list();
  const auto found = std::find_if(processes.begin(), processes.end(),
                                  [&](const ProcessInfo& p) { return p.pid == child.pid(); });
  ASSERT_NE(found, processes.end());
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
