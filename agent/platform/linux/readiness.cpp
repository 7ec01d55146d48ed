#include "agent/platform/readiness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <vector>

namespace clubsafe::agent::platform {
namespace {

std::system_error lastError(const char* what) {
  return {errno, std::generic_category(), what};
}

}  // namespace

ReadableWait::ReadableWait(std::initializer_list<int> fds)
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_.valid()) throw lastError("epoll_create1");
  for (const int fd : fds) {
    epoll_event event{EPOLLIN, {.fd = fd}};
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) throw lastError("epoll_ctl");
  }
}

std::size_t ReadableWait::wait(std::span<int> ready, std::chrono::milliseconds timeout) const {
  constexpr std::size_t kMostAtOnce = 8;
  std::array<epoll_event, kMostAtOnce> events{};
  const int count = ::epoll_wait(epoll_.get(), events.data(),
                                 static_cast<int>(std::min(ready.size(), events.size())),
                                 static_cast<int>(timeout.count()));
  for (int i = 0; i < count; ++i) {
    ready[static_cast<std::size_t>(i)] = events[static_cast<std::size_t>(i)].data.fd;
  }
  return count > 0 ? static_cast<std::size_t>(count) : 0;
}

bool waitForAny(std::span<Awaited> awaited, std::chrono::milliseconds timeout) {
  std::vector<pollfd> fds;
  fds.reserve(awaited.size());
  for (const auto& one : awaited) {
    fds.push_back({one.fd, static_cast<short>(one.forWriting ? POLLIN | POLLOUT : POLLIN), 0});
  }
  const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) return false;
  for (std::size_t i = 0; i < awaited.size(); ++i) {
    const bool answered = ready > 0;
    awaited[i].readable = answered && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    awaited[i].writable = answered && (fds[i].revents & POLLOUT) != 0;
  }
  return true;
}

StopPipe::StopPipe() {
  std::array<int, 2> ends{};
  if (::pipe2(ends.data(), O_CLOEXEC) != 0) throw lastError("pipe2");
  read_ = FileDescriptor(ends[0]);
  write_ = FileDescriptor(ends[1]);
}

void StopPipe::raise() const {
  // One byte that nobody reads keeps the pipe readable.
  const std::uint8_t stop = 1;
  while (::write(write_.get(), &stop, 1) < 0 && errno == EINTR) {
  }
}

WakePipe::WakePipe() {
  std::array<int, 2> ends{};
  if (::pipe2(ends.data(), O_NONBLOCK | O_CLOEXEC) != 0) throw lastError("pipe2");
  read_ = FileDescriptor(ends[0]);
  write_ = FileDescriptor(ends[1]);
}

void WakePipe::notify() const {
  const char byte = 0;
  (void)!::write(write_.get(), &byte, 1);
}

void WakePipe::drain() const {
  std::array<char, 256> bytes{};
  while (::read(read_.get(), bytes.data(), bytes.size()) > 0) {
  }
}

}  // namespace clubsafe::agent::platform
