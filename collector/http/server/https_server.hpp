#pragma once

#include "collector/http/server/http_exchange.hpp"
#include "collector/http/server/request_framer.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace clubsafe::collector {

// How much the server lets any client hold (see docs/ARCHITECTURE.md, "The HTTPS server").
struct ServerLimits {
  std::size_t threads = 16;             // handlers running at once
  std::size_t maxQueuedRequests = 512;  // whole requests waiting for a handler
  std::size_t maxConnections = 4096;    // open connections in all
  std::size_t maxConnectionsPerAddress = 64;
  std::size_t maxHeadBytes = 16 * 1024;
  std::chrono::milliseconds handshakeTimeout{10'000};  // connect to TLS established
  std::chrono::milliseconds requestTimeout{
      30'000};                                    // a request's head and body; an answer's sending
  std::chrono::milliseconds idleTimeout{15'000};  // a kept-alive connection between requests
};

// The collector's HTTPS/1.1 server. One thread carries every connection through the TLS
// handshake, the reading of a whole request and the writing of its answer, without blocking;
// a handler runs on a worker only once its request has fully arrived. Idle and slow clients
// therefore hold a little memory and a file descriptor, never a worker, and every phase of a
// connection has a deadline.
class HttpsServer {
 public:
  using Handler = std::function<void(ServerRequest&, ServerResponse&)>;

  // `handler` must answer every request and not throw; `bodyLimit` gives the largest body each
  // request's route accepts.
  HttpsServer(Poco::Net::ServerSocket listening, Poco::Net::Context::Ptr tls, Handler handler,
              RequestFramer::BodyLimit bodyLimit, ServerLimits limits);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  void start();
  // Closes every connection after the handlers running have finished.
  void stop();

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace clubsafe::collector
