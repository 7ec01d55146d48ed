#pragma once

#include <cstdint>
#include <optional>

namespace clubsafe::agent::platform {

// Who is at the other end of a connected local (Unix) stream socket, as the kernel noted it
// when the connection was made: the peer cannot choose what this says.
struct PeerCredentials {
  std::uint32_t uid = 0;
  std::int32_t pid = 0;
};

// nullopt when `socketFd` is not a connected local socket.
[[nodiscard]] std::optional<PeerCredentials> peerCredentials(int socketFd);

}  // namespace clubsafe::agent::platform
