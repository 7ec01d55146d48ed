#pragma once

#include "agent/platform/file_descriptor.hpp"

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <span>

namespace clubsafe::agent::platform {

// Waits until any of a fixed set of descriptors is readable (epoll on Linux). Cheap to wait on
// again and again, as the DNS filter's leading worker does.
class ReadableWait {
 public:
  // Throws std::system_error when the system gives no instance or refuses a descriptor.
  explicit ReadableWait(std::initializer_list<int> fds);

  // Fills `ready` with descriptors readable now, waiting up to `timeout`; how many it filled
  // (0 when the time ran out or a signal interrupted the wait).
  [[nodiscard]] std::size_t wait(std::span<int> ready, std::chrono::milliseconds timeout) const;

 private:
  FileDescriptor epoll_;
};

// One descriptor for waitForAny(): whether writing is awaited too, and, after the wait, whether
// it is worth a read (data, an end or an error waits) or a write.
struct Awaited {
  int fd = -1;
  bool forWriting = false;
  bool readable = false;
  bool writable = false;
};

// Waits until one of `awaited` is ready or `timeout` passes (poll on Linux). False when the wait
// itself failed; a signal that interrupts it is a wait that found nothing.
[[nodiscard]] bool waitForAny(std::span<Awaited> awaited, std::chrono::milliseconds timeout);

// A pipe that becomes readable for good once raised, so every thread waiting on readEnd(), now
// or later, sees the stop.
class StopPipe {
 public:
  // Throws std::system_error when no pipe can be made.
  StopPipe();

  void raise() const;
  [[nodiscard]] int readEnd() const { return read_.get(); }

 private:
  FileDescriptor read_;
  FileDescriptor write_;
};

// A non-blocking pipe that wakes a thread polling readEnd(): notify() from any thread, drain()
// by the thread woken.
class WakePipe {
 public:
  // Throws std::system_error when no pipe can be made.
  WakePipe();

  // A full pipe already wakes the reader: nothing is lost when the write fails.
  void notify() const;
  void drain() const;
  [[nodiscard]] int readEnd() const { return read_.get(); }

 private:
  FileDescriptor read_;
  FileDescriptor write_;
};

}  // namespace clubsafe::agent::platform
