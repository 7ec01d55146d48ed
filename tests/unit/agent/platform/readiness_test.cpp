#include "agent/platform/readiness.hpp"
#include "agent/platform/file_descriptor.hpp"
#include "agent/platform/file_stamp.hpp"
#include "agent/platform/local_socket.hpp"
#include "agent/platform/socket.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>
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

TEST(ReadinessTest, WaitForAnySaysWhatIsReadableAndTransfersSayWhenTheOtherEndIsGone) {
  std::array<int, 2> pair{};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair.data()), 0);
  const FileDescriptor ours(pair[0]);
  auto theirs = std::make_unique<FileDescriptor>(pair[1]);
  std::array<Awaited, 1> awaited{{{.fd = ours.get(), .forWriting = true}}};
  ASSERT_TRUE(waitForAny(awaited, 10s));
  EXPECT_FALSE(awaited[0].readable);
  EXPECT_TRUE(awaited[0].writable);
  std::array<char, 16> buffer{};
  EXPECT_EQ(receiveSome(ours.get(), buffer).status, Transfer::Status::NothingYet);

  const std::string hello = "hello";
  EXPECT_EQ(sendSome(theirs->get(), hello).bytes, hello.size());
  awaited[0].forWriting = false;
  ASSERT_TRUE(waitForAny(awaited, 10s));
  EXPECT_TRUE(awaited[0].readable);
  const auto got = receiveSome(ours.get(), buffer);
  EXPECT_EQ(got.status, Transfer::Status::Moved);
  EXPECT_EQ(std::string(buffer.data(), got.bytes), hello);

  theirs.reset();
  EXPECT_EQ(receiveSome(ours.get(), buffer).status, Transfer::Status::Ended);
  EXPECT_EQ(sendSome(ours.get(), hello).status, Transfer::Status::Ended);
}

TEST(LocalSocketTest, ListensAtAFileThatAnswersAndHasAStamp) {
  const clubsafe::testing::TempDir dir;
  const auto path = dir.file("notice.sock");
  EXPECT_FALSE(localSocketAnswers(path));
  EXPECT_FALSE(fileStamp(path).has_value());
  const auto listening = listenLocal(path, 4);
  EXPECT_TRUE(localSocketAnswers(path));
  EXPECT_TRUE(fileStamp(path).has_value());
  EXPECT_TRUE(acceptConnection(listening.get()).valid());       // the probe's connection
  EXPECT_FALSE(acceptConnection(listening.get()).valid());      // and nothing more
  EXPECT_THROW((void)listenLocal(path, 4), std::system_error);  // the file is taken
}

}  // namespace
}  // namespace clubsafe::agent::platform
