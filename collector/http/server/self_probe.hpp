#pragma once

#include <Poco/Net/SocketAddress.h>

#include <chrono>

namespace clubsafe::collector {

// Asks the collector's own HTTPS server for its console page over loopback, as a browser
// would, for the watchdog's liveness check (jobs/service_liveness.hpp). `listening` is the
// server socket's address; a wildcard one is reached on loopback. Throws std::runtime_error
// when no answer comes within `timeout`, or the answer is "busy" (503): every worker stuck.
void probeOwnServer(const Poco::Net::SocketAddress& listening, std::chrono::milliseconds timeout);

}  // namespace clubsafe::collector
