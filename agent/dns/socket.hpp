#pragma once

// The little socket code the DNS proxy needs, POSIX only; a port swaps this file pair.

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clubsafe::agent::dns {

using Deadline = std::chrono::steady_clock::time_point;

// An IPv4 or IPv6 address with a port.
struct Endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;

  [[nodiscard]] int family() const { return address.ss_family; }
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string text() const;  // 127.0.0.1:53 or [::1]:53
  [[nodiscard]] bool isLoopback() const;
  [[nodiscard]] const sockaddr* raw() const { return reinterpret_cast<const sockaddr*>(&address); }
};

// "192.0.2.1", "192.0.2.1:5353", "2001:db8::1" or "[2001:db8::1]:5353".
[[nodiscard]] std::optional<Endpoint> parseEndpoint(std::string_view text,
                                                    std::uint16_t defaultPort);

// A file descriptor closed when this goes away.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.release()) {}
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  int release();

 private:
  int fd_ = -1;
};

enum class WaitResult { Ready, TimedOut, Stopped };

// Waits until `fd` is readable (or writable), `deadline` passes, or `stopFd` (if >= 0) becomes
// readable.
[[nodiscard]] WaitResult waitFor(int fd, bool forWriting, Deadline deadline, int stopFd = -1);

// Whole-buffer reads and writes on a non-blocking stream socket, giving up at the deadline.
[[nodiscard]] bool readFully(int fd, std::span<std::uint8_t> buffer, Deadline deadline,
                             int stopFd = -1);
[[nodiscard]] bool writeFully(int fd, std::span<const std::uint8_t> buffer, Deadline deadline);

// A non-blocking socket connected (for TCP: connecting) to `to`; invalid on failure. A `mark`
// other than 0 is put on its packets (SO_MARK) for the packet filter to recognise.
[[nodiscard]] Socket connectedSocket(const Endpoint& to, int type, std::uint32_t mark = 0);

}  // namespace clubsafe::agent::dns
