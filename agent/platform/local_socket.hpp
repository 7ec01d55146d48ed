#pragma once

// Local (Unix domain) stream sockets, for the notice programs' socket; linux/local_socket.cpp
// implements them.

#include "agent/platform/file_descriptor.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace clubsafe::agent::platform {

// The longest file path a local socket can have.
[[nodiscard]] std::size_t longestLocalSocketPath();

// Whether a program accepts connections on the local socket at `path`.
[[nodiscard]] bool localSocketAnswers(const std::string& path);

// A non-blocking socket listening at `path`, a new file every user may connect to (who may stay
// is the caller's to check). Throws std::system_error, leaving no file behind.
[[nodiscard]] FileDescriptor listenLocal(const std::string& path, int backlog);

}  // namespace clubsafe::agent::platform
