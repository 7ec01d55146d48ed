#include "agent/platform/socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

namespace clubsafe::agent::platform {

std::uint16_t Endpoint::port() const {
  if (family() == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
}

std::string Endpoint::text() const {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  if (family() == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&address)->sin_addr, buffer.data(),
                buffer.size());
    return std::string(buffer.data()) + ":" + std::to_string(port());
  }
  ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr, buffer.data(),
              buffer.size());
  // Appended one by one: GCC 12 at -O3 warns (-Wrestrict, wrongly) about "[" + std::string.
  std::string text("[");
  text.append(buffer.data()).append("]:").append(std::to_string(port()));
  return text;
}

Endpoint Endpoint::withPort(std::uint16_t port) const {
  Endpoint endpoint = *this;
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&endpoint.address)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&endpoint.address)->sin6_port = htons(port);
  }
  return endpoint;
}

bool Endpoint::isLoopback() const {
  if (family() == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
  return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
}

std::optional<std::array<std::uint8_t, 4>> ipv4Address(const std::string& text) {
  std::array<std::uint8_t, 4> bytes{};
  if (::inet_pton(AF_INET, text.c_str(), bytes.data()) != 1) return std::nullopt;
  return bytes;
}

std::optional<std::array<std::uint8_t, 16>> ipv6Address(const std::string& text) {
  std::array<std::uint8_t, 16> bytes{};
  if (::inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return std::nullopt;
  return bytes;
}

std::optional<Endpoint> parseEndpoint(std::string_view text, std::uint16_t defaultPort) {
  std::string_view host = text;
  std::string_view portText;
  bool hasPort = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      portText = rest.substr(1);
      hasPort = true;
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    portText = text.substr(colon + 1);
    hasPort = true;
  }
  std::uint16_t port = defaultPort;
  if (hasPort) {
    const auto [end, error] =
        std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (error != std::errc() || end != portText.data() + portText.size() || port == 0) {
      return std::nullopt;
    }
  }
  const std::string hostText(host);
  Endpoint endpoint;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&endpoint.address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&endpoint.address);
  if (::inet_pton(AF_INET, hostText.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    endpoint.length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, hostText.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    endpoint.length = sizeof(sockaddr_in6);
  } else {
    return std::nullopt;
  }
  return endpoint;
}

WaitResult waitFor(int fd, bool forWriting, Deadline deadline, int stopFd) {
  std::array<pollfd, 2> fds{
      {{fd, static_cast<short>(forWriting ? POLLOUT : POLLIN), 0}, {stopFd, POLLIN, 0}}};
  const nfds_t count = stopFd >= 0 ? 2 : 1;
  while (true) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return WaitResult::TimedOut;
    const int ready = ::poll(fds.data(), count, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return WaitResult::TimedOut;
    if (count == 2 && fds[1].revents != 0) return WaitResult::Stopped;
    if (ready > 0) return WaitResult::Ready;
  }
}

bool readFully(int fd, std::span<std::uint8_t> buffer, Deadline deadline, int stopFd) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    const auto n = ::recv(fd, buffer.data() + done, buffer.size() - done, 0);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // n == 0: closed by the other side; any error but "nothing yet" ends it too.
    const bool nothingYet = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    if (!nothingYet || waitFor(fd, false, deadline, stopFd) != WaitResult::Ready) return false;
  }
  return true;
}

bool writeFully(int fd, std::span<const std::uint8_t> buffer, Deadline deadline) {
  std::size_t done = 0;
  while (done < buffer.size()) {
    const auto n = ::send(fd, buffer.data() + done, buffer.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (waitFor(fd, true, deadline) != WaitResult::Ready) return false;
    } else if (errno != EINTR) {
      return false;
    }
  }
  return true;
}

FileDescriptor connectedSocket(const Endpoint& to, int type, std::uint32_t mark) {
  FileDescriptor socket(::socket(to.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return socket;
  // Marking needs CAP_NET_ADMIN; without it the lock-down that looks for the mark cannot be put
  // in place either, so an unmarked query is not refused and the failure can be ignored.
  if (mark != 0) (void)::setsockopt(socket.get(), SOL_SOCKET, SO_MARK, &mark, sizeof mark);
  if (::connect(socket.get(), to.raw(), to.length) != 0 && errno != EINPROGRESS) {
    return FileDescriptor();
  }
  return socket;
}

FileDescriptor listeningSocket(const Endpoint& at, int type, int backlog) {
  FileDescriptor socket(::socket(at.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return socket;
  const int on = 1;
  if (type == SOCK_STREAM) ::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(socket.get(), at.raw(), at.length) != 0) return FileDescriptor();
  if (type == SOCK_STREAM && ::listen(socket.get(), backlog) != 0) return FileDescriptor();
  return socket;
}

std::uint16_t boundPort(int fd) {
  Endpoint bound;
  bound.length = sizeof bound.address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound.address), &bound.length);
  return bound.port();
}

FileDescriptor acceptConnection(int fd) {
  return FileDescriptor(::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
}

bool sendDatagram(int fd, std::span<const std::uint8_t> bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) >= 0;
}

Received receiveDatagram(int fd, std::span<std::uint8_t> buffer) {
  const auto n = ::recv(fd, buffer.data(), buffer.size(), 0);
  if (n >= 0) return {Received::Status::Datagram, static_cast<std::size_t>(n)};
  const bool nothingYet = errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  return {nothingYet ? Received::Status::NothingYet : Received::Status::Failed, 0};
}

Transfer receiveSome(int fd, std::span<char> buffer) {
  for (;;) {
    const auto got = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (got > 0) return {Transfer::Status::Moved, static_cast<std::size_t>(got)};
    if (got < 0 && errno == EINTR) continue;
    const bool nothingYet = got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    return {nothingYet ? Transfer::Status::NothingYet : Transfer::Status::Ended, 0};
  }
}

Transfer sendSome(int fd, std::span<const char> bytes) {
  for (;;) {
    const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent > 0) return {Transfer::Status::Moved, static_cast<std::size_t>(sent)};
    if (sent < 0 && errno == EINTR) continue;
    const bool nothingYet = sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    return {nothingYet ? Transfer::Status::NothingYet : Transfer::Status::Ended, 0};
  }
}

std::string lastSystemError() {
  return std::error_code(errno, std::generic_category()).message();
}

}  // namespace clubsafe::agent::platform
