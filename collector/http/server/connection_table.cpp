#include "collector/http/server/connection_table.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <vector>

namespace clubsafe::collector {

Connection::Connection(std::uint64_t theKey, int theSocket, Poco::Net::SocketAddress thePeer,
                       SSL_CTX* context, RequestFramer theFramer)
    : key(theKey),
      socket(theSocket),
      peer(std::move(thePeer)),
      tls(context, theSocket),
      framer(std::move(theFramer)) {}

Connection::~Connection() {
  ::close(socket);
}

void ConnectionTable::setLimits(std::size_t total, std::size_t perAddress) {
  total_ = total;
  perAddress_ = perAddress;
}

std::pair<std::uint64_t, Connection*> ConnectionTable::open(int socket,
                                                            const Poco::Net::SocketAddress& peer,
                                                            SSL_CTX* context,
                                                            RequestFramer framer) {
  const auto host = peer.host().toString();
  auto& fromHost = openPerAddress_[host];
  if (connections_.size() >= total_ || fromHost >= perAddress_) {
    if (fromHost == 0) openPerAddress_.erase(host);
    ::close(socket);
    sayOnceAMinute(connections_.size() >= total_
                       ? "the collector holds its most connections (server.max_connections)"
                       : "one address holds its most connections "
                         "(server.max_connections_per_address)");
    return {0, nullptr};
  }
  std::unique_ptr<Connection> connection;
  try {
    connection = std::make_unique<Connection>(nextKey_, socket, peer, context, std::move(framer));
  } catch (const std::exception& error) {
    if (fromHost == 0) openPerAddress_.erase(host);
    ::close(socket);
    spdlog::error("A connection could not be taken: {}", error.what());
    return {0, nullptr};
  }
  ++fromHost;
  const auto key = nextKey_++;
  auto* raw = connection.get();
  connections_.emplace(key, std::move(connection));
  return {key, raw};
}

Connection* ConnectionTable::find(std::uint64_t key) {
  const auto found = connections_.find(key);
  return found == connections_.end() ? nullptr : found->second.get();
}

void ConnectionTable::close(std::uint64_t key) {
  const auto found = connections_.find(key);
  if (found == connections_.end()) return;
  forget(*found->second);
  connections_.erase(found);
}

void ConnectionTable::closeIf(const std::function<bool(const Connection&)>& predicate) {
  std::vector<std::uint64_t> closing;
  for (const auto& [key, connection] : connections_) {
    if (predicate(*connection)) closing.push_back(key);
  }
  for (const auto key : closing) close(key);
}

void ConnectionTable::clear() {
  connections_.clear();
  openPerAddress_.clear();
}

void ConnectionTable::forget(const Connection& connection) {
  const auto found = openPerAddress_.find(connection.peer.host().toString());
  if (found != openPerAddress_.end() && --found->second == 0) openPerAddress_.erase(found);
}

// Refusals come in floods; one line a minute says how many.
void ConnectionTable::sayOnceAMinute(const std::string& message) {
  ++refusedSinceLogged_;
  const auto now = std::chrono::steady_clock::now();
  if (now - lastRefusalLogged_ < std::chrono::minutes(1)) return;
  spdlog::warn("Refused {} new connection(s): {}.", refusedSinceLogged_, message);
  refusedSinceLogged_ = 0;
  lastRefusalLogged_ = now;
}

}  // namespace clubsafe::collector
