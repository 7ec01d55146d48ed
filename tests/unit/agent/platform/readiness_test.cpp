#include "agent/platform/readiness.hpp"
#include "agent/platform/file_descriptor.hpp"
#include "agent/platform/local_socket.hpp"
#include "agent/platform/socket.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <system_error>
#include <thread>

namespace clubsafe::agent::platform {
namespace {

using namespace std::chrono_literals;

bool isOpen(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}

TEST(FileDescriptorTest, AMovedDescriptorIsClosedOnceByItsLastOwner) {
  std::array<int, 2> ends{};
  ASSERT_EQ(::pipe(ends.data()), 0);
  const FileDescriptor writeEnd(ends[1]);
  int fd = ends[0];
  {
    FileDescriptor first(fd);
    FileDescriptor second(std::move(first));
    EXPECT_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): moved from on purpose
    FileDescriptor third;
    third = std::move(second);
    EXPECT_EQ(third.get(), fd);
    EXPECT_TRUE(isOpen(fd));
  }
  EXPECT_FALSE(isOpen(fd));
}

TEST(ReadinessTest, AStopPipeWakesEveryWaiterForGood) {
  const StopPipe stop;
  const auto loopback = parseEndpoint("127.0.0.1", 53);
  ASSERT_TRUE(loopback.has_value());
  const FileDescriptor udp = listeningSocket(loopback->withPort(0), SOCK_DGRAM, 1);
  ASSERT_TRUE(udp.valid());
  const ReadableWait wait({udp.get(), stop.readEnd()});
  std::array<int, 2> ready{};
  EXPECT_EQ(wait.wait(ready, 20ms), 0U);  // nothing yet: the time runs out
  std::thread stopper([&stop] { stop.raise(); });
  EXPECT_EQ(wait.wait(ready, 10s), 1U);
  EXPECT_EQ(ready[0], stop.readEnd());
  EXPECT_EQ(wait.wait(ready, 10s), 1U);  // still readable for the next waiter
  stopper.join();
}

TEST(ReadinessTest, AWakePipeIsQuietAgainOnceDrained) {
  const WakePipe wake;
  const ReadableWait wait({wake.readEnd()});
  std::array<int, 1> ready{};
  for (int i = 0; i < 3; ++i) wake.notify();
  EXPECT_EQ(wait.wait(ready, 10s), 1U);
  wake.drain();
  EXPECT_EQ(wait.wait(ready, 20ms), 0U);
}

TEST(LocalSocketTest, ListensAtAFileThatAnswersAndIsKnownByItsIdentity) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.file("notice.sock");
  EXPECT_FALSE(localSocketAnswers(path));
  EXPECT_FALSE(fileIdentity(path).has_value());
  const auto listening = listenLocal(path, 4);
  EXPECT_TRUE(localSocketAnswers(path));
  EXPECT_TRUE(fileIdentity(path).has_value());
  EXPECT_TRUE(acceptConnection(listening.get()).valid());       // the probe's connection
  EXPECT_FALSE(acceptConnection(listening.get()).valid());      // and nothing more
  EXPECT_THROW((void)listenLocal(path, 4), std::system_error);  // the file is taken
}

}  // namespace
}  // namespace clubsafe::agent::platform
