#pragma once

// The DNS filter's names for the platform's socket code (agent/platform/socket.hpp).

#include "agent/platform/file_descriptor.hpp"
#include "agent/platform/socket.hpp"

namespace clubsafe::agent::dns {

using platform::connectedSocket;
using platform::Deadline;
using platform::Endpoint;
using platform::parseEndpoint;
using platform::readFully;
using platform::waitFor;
using platform::WaitResult;
using platform::writeFully;
using Socket = platform::FileDescriptor;

}  // namespace clubsafe::agent::dns
