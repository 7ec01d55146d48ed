#pragma once

#include "agent/dns/socket.hpp"
#include "agent/dns/wire.hpp"
#include "common/domain_index/domain_index.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace clubsafe::agent::dns {

struct UdpBatch;  // the proxy's, in dns_proxy.cpp

// Scratch space of one thread on the packet path, allocated once so that a query allocates
// nothing on its way through.
struct Workspace {
  std::array<std::uint8_t, kMaxMessage> received{};
  Buffer outgoing;
  Buffer rewriteQuery;   // the query for a safe-search target
  Buffer rewriteAnswer;  // and its answer

  // For recording decisions (DecisionRecorder): the minute and the index whose category ids the
  // filter's verdicts carry, both taken once per batch of packets.
  std::int64_t minute = 0;
  std::shared_ptr<const common::domain_index::DomainIndex> categoryIndex;
  // The UDP answers this worker holds back to send together, sent before it waits upstream.
  UdpBatch* udp = nullptr;

  Workspace() {
    outgoing.reserve(kMaxMessage + 2);
    rewriteQuery.reserve(kMaxUdpWithoutEdns);
    rewriteAnswer.reserve(kMaxMessage);
  }
};

// Forwards queries to the upstream resolvers: each in order, two rounds, each try getting an
// equal share of `timeout` (a refused try moves on at once); an answer with TC set is asked
// again over TCP; SERVFAIL and REFUSED count as failures. Only an answer with the id and
// question that were sent is accepted. The list may be replaced while queries are under way
// (the laptop moved to another network): each query keeps the list it started with.
class UpstreamResolver {
 public:
  static constexpr int kRounds = 2;

  // `socketMark` (0: none) goes on every query's packets, for the outbound lock-down.
  UpstreamResolver(std::vector<Endpoint> servers, std::chrono::milliseconds timeout,
                   std::uint32_t socketMark = 0);

  // `query` is the raw query (sent on with a fresh random id), `parsed` its parsed form. On
  // success `answer` holds the upstream's answer with the query's own id.
  [[nodiscard]] bool resolve(Bytes query, const Query& parsed, Workspace& workspace,
                             Buffer& answer) const;

  [[nodiscard]] std::chrono::milliseconds timeout() const { return timeout_; }

  // Safe to call from any thread at any time.
  void setServers(std::vector<Endpoint> servers);
  [[nodiscard]] std::shared_ptr<const std::vector<Endpoint>> servers() const;

 private:
  enum class Outcome { Answered, Truncated, Failed };
  Outcome overUdp(const Endpoint& server, const Query& expected, Deadline deadline,
                  Workspace& workspace, Buffer& answer) const;
  Outcome overTcp(const Endpoint& server, const Query& expected, Deadline deadline,
                  Workspace& workspace, Buffer& answer) const;

  // Read and replaced only through std::atomic_load and std::atomic_store.
  std::shared_ptr<const std::vector<Endpoint>> servers_;
  std::chrono::milliseconds timeout_;
  std::uint32_t socketMark_;
};

}  // namespace clubsafe::agent::dns
