#pragma once

// Sockets for the DNS filter and its self-test: addresses, listening and connected sockets,
// waits with deadlines. linux/socket.cpp implements them; a port swaps that file.

#include "agent/platform/file_descriptor.hpp"

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clubsafe::agent::platform {

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
  // The same address with another port.
  [[nodiscard]] Endpoint withPort(std::uint16_t port) const;
};

// The bytes of an IPv4 or IPv6 address written as text; nullopt when the text is not one.
[[nodiscard]] std::optional<std::array<std::uint8_t, 4>> ipv4Address(const std::string& text);
[[nodiscard]] std::optional<std::array<std::uint8_t, 16>> ipv6Address(const std::string& text);

// "192.0.2.1", "192.0.2.1:5353", "2001:db8::1" or "[2001:db8::1]:5353".
[[nodiscard]] std::optional<Endpoint> parseEndpoint(std::string_view text,
                                                    std::uint16_t defaultPort);

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
[[nodiscard]] FileDescriptor connectedSocket(const Endpoint& to, int type, std::uint32_t mark = 0);

// A non-blocking socket bound to `at` (for TCP also listening, with `backlog`); invalid on
// failure, with errno saying why.
[[nodiscard]] FileDescriptor listeningSocket(const Endpoint& at, int type, int backlog);

// The port a bound socket was given (the one asked for, or a free one for port 0).
[[nodiscard]] std::uint16_t boundPort(int fd);

// A connection waiting on the listening `fd`, non-blocking; invalid when none is.
[[nodiscard]] FileDescriptor acceptConnection(int fd);

// One datagram sent on a connected socket; false when it could not go.
[[nodiscard]] bool sendDatagram(int fd, std::span<const std::uint8_t> bytes);

// One datagram received on a non-blocking socket, without waiting.
struct Received {
  enum class Status { Datagram, NothingYet, Failed } status;
  std::size_t size = 0;  // of the datagram
};
// Failed: the socket cannot receive at all (for example ECONNREFUSED: nothing listens there).
[[nodiscard]] Received receiveDatagram(int fd, std::span<std::uint8_t> buffer);

// What one non-blocking read or write on a stream socket did. Ended: the other end closed it,
// or it failed.
struct Transfer {
  enum class Status { Moved, NothingYet, Ended } status;
  std::size_t bytes = 0;
};
[[nodiscard]] Transfer receiveSome(int fd, std::span<char> buffer);
[[nodiscard]] Transfer sendSome(int fd, std::span<const char> bytes);

// The system's message for the last error (errno), safe from any thread.
[[nodiscard]] std::string lastSystemError();

}  // namespace clubsafe::agent::platform
