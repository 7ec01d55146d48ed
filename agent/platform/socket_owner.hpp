#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace clubsafe::agent::platform {

// One TCP connection as the server side sees it; addresses numeric ("127.0.0.1", "::1", or
// "::ffff:127.0.0.1" from a dual-stack socket).
struct TcpConnection {
  std::string localAddress;
  std::uint16_t localPort = 0;
  std::string remoteAddress;
  std::uint16_t remotePort = 0;
};

// Which account opened the other end of a TCP connection on this machine: the block page uses
// it to tell whose request it is.
class SocketOwners {
 public:
  virtual ~SocketOwners() = default;
  // The user id owning the established socket whose local end is `connection`'s remote end and
  // whose remote end is its local end; nullopt when no such socket is on this machine (the peer
  // is elsewhere), it is no longer established (it has closed or is closing its end) or the
  // table cannot be read.
  [[nodiscard]] virtual std::optional<std::uint32_t> peerOwner(
      const TcpConnection& connection) const = 0;
};

// The implementation for this operating system: on Linux, /proc/net/tcp and /proc/net/tcp6
// under `procNet` (the network namespace of this process by default).
[[nodiscard]] std::unique_ptr<SocketOwners> makeSocketOwners(std::string procNet = "/proc/net");

}  // namespace clubsafe::agent::platform
