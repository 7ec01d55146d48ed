#include "tests/integration/notice_connection.hpp"

#include "tests/integration/harness.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace clubsafe::testing {

NoticeConnection::NoticeConnection(const std::string& path)
    : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (fd_ < 0 ||
      ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const std::string problem = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot connect to " + path + ": " + problem);
  }
}

NoticeConnection::~NoticeConnection() {
  ::close(fd_);
}

Poco::JSON::Object::Ptr NoticeConnection::ask(Poco::JSON::Object request) {
  using std::chrono::steady_clock;
  request.set("id", ++id_);
  const auto line = toJson(request) + "\n";
  if (::send(fd_, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    throw std::runtime_error("cannot write to the notice socket");
  }
  const auto deadline = steady_clock::now() + 30s;
  while (steady_clock::now() < deadline) {
    for (auto end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n')) {
      auto message = parseObject(buffer_.substr(0, end));
      buffer_.erase(0, end + 1);
      if (message->getValue<std::string>("type") == "reply" &&
          message->getValue<std::int64_t>("id") == id_) {
        return message;
      }
    }
    pollfd wait{fd_, POLLIN, 0};
    if (::poll(&wait, 1, 1000) <= 0) continue;
    char bytes[4096];
    const auto n = ::recv(fd_, bytes, sizeof(bytes), 0);
    if (n <= 0) throw std::runtime_error("the agent closed the notice socket");
    buffer_.append(bytes, static_cast<std::size_t>(n));
  }
  throw std::runtime_error("no reply from the agent within 30 s");
}

}  // namespace clubsafe::testing
