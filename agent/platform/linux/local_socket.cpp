#include "agent/platform/local_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>  // chmod
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace clubsafe::agent::platform {
namespace {

sockaddr_un addressOf(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), std::min(path.size(), longestLocalSocketPath()));
  return address;
}

const sockaddr* raw(const sockaddr_un& address) {
  return reinterpret_cast<const sockaddr*>(&address);
}

}  // namespace

std::size_t longestLocalSocketPath() {
  return sizeof(sockaddr_un::sun_path) - 1;
}

bool localSocketAnswers(const std::string& path) {
  const auto address = addressOf(path);
  const FileDescriptor probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return probe.valid() && ::connect(probe.get(), raw(address), sizeof(address)) == 0;
}

FileDescriptor listenLocal(const std::string& path, int backlog) {
  const auto address = addressOf(path);
  FileDescriptor socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) throw std::system_error(errno, std::generic_category(), "socket");
  // Every user's program connects: the file is open to all.
  if (::bind(socket.get(), raw(address), sizeof(address)) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind");
  }
  if (::chmod(path.c_str(), 0666) != 0 || ::listen(socket.get(), backlog) != 0) {
    const std::system_error error(errno, std::generic_category(), "listen");
    ::unlink(path.c_str());
    throw error;
  }
  return socket;
}

}  // namespace clubsafe::agent::platform
