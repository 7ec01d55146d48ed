#include "agent/platform/peer_credentials.hpp"

#include <sys/socket.h>

namespace clubsafe::agent::platform {

std::optional<PeerCredentials> peerCredentials(int socketFd) {
  ucred credentials{};
  socklen_t length = sizeof(credentials);
  if (::getsockopt(socketFd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 ||
      length != sizeof(credentials) || credentials.pid <= 0) {
    return std::nullopt;
  }
  return PeerCredentials{credentials.uid, credentials.pid};
}

}  // namespace clubsafe::agent::platform
