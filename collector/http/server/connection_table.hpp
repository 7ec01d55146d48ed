#pragma once

#include "collector/http/server/request_framer.hpp"
#include "collector/http/server/tls_session.hpp"

#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace clubsafe::collector {

// Where a connection is in its life; each phase but Handling has a deadline.
enum class Phase {
  Handshake,  // TLS being established
  Idle,       // waiting for the first byte of a request
  Reading,    // part of a request has arrived
  Handling,   // a worker is answering the request
  Answering,  // the answer is being sent
  Draining,   // answered and closing: what the client still sends is read and dropped
};

// One client connection and everything the server's I/O thread keeps for it.
struct Connection {
  Connection(std::uint64_t theKey, int theSocket, Poco::Net::SocketAddress thePeer,
             SSL_CTX* context, RequestFramer theFramer);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::uint64_t key;
  int socket;
  Poco::Net::SocketAddress peer;
  TlsSession tls;
  RequestFramer framer;
  Phase phase = Phase::Handshake;
  std::chrono::steady_clock::time_point deadline;
  std::uint32_t events = 0;  // what the I/O thread waits for on the socket
  std::string input;         // received and not yet part of a request
  std::string output;        // to send, from `written` on
  std::size_t written = 0;
  std::unique_ptr<std::istream> stream;  // the rest of a streamed body
  std::uint64_t streamLeft = 0;
  bool chunked = false;  // the stream's length is unknown: sent in chunks until it ends
  bool closeWhenAnswered = false;
  std::size_t drained = 0;
};

// The open connections, with a cap on them in all and per client address, so that one client
// cannot take every connection the collector can hold.
class ConnectionTable {
 public:
  void setLimits(std::size_t total, std::size_t perAddress);

  // Takes over `socket`: the new connection and its key, or a null connection (and the socket
  // closed) when a limit is reached.
  std::pair<std::uint64_t, Connection*> open(int socket, const Poco::Net::SocketAddress& peer,
                                             SSL_CTX* context, RequestFramer framer);
  [[nodiscard]] Connection* find(std::uint64_t key);
  void close(std::uint64_t key);
  void closeIf(const std::function<bool(const Connection&)>& predicate);
  void clear();
  [[nodiscard]] std::size_t size() const { return connections_.size(); }

 private:
  void forget(const Connection& connection);
  void sayOnceAMinute(const std::string& message);

  std::size_t total_ = 0;
  std::size_t perAddress_ = 0;
  std::uint64_t nextKey_ = 2;  // 0 and 1 are the server's listener and wake-up
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::unordered_map<std::string, std::size_t> openPerAddress_;
  std::chrono::steady_clock::time_point lastRefusalLogged_;
  std::size_t refusedSinceLogged_ = 0;
};

}  // namespace clubsafe::collector
