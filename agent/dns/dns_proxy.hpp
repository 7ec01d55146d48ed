#pragma once

#include "agent/dns/answer_cache.hpp"
#include "agent/dns/decision_recorder.hpp"
#include "agent/dns/filter_decision.hpp"
#include "agent/dns/socket.hpp"
#include "agent/dns/upstream_resolver.hpp"
#include "agent/dns/wire.hpp"
#include "agent/platform/readiness.hpp"
#include "agent/runtime/heartbeat.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace clubsafe::agent::dns {

// A setting or a socket the proxy cannot work with; the message says what to change.
class DnsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class BlockAnswer { Address, NxDomain };

struct DnsProxyOptions {
  Endpoint listen;  // UDP and TCP; port 0 picks a free one (see DnsProxy::port)
  std::vector<Endpoint> upstreams;
  std::chrono::milliseconds timeout{2000};
  std::size_t cacheEntries = 10000;
  BlockAnswer blockAnswer = BlockAnswer::Address;
  BlockAddresses blockAddresses;
  std::uint32_t answerTtl = 60;  // of the answers the filter makes itself
  std::size_t workers = 8;       // threads; each forwards one query at a time
  std::chrono::milliseconds tcpIdle{5000};
  // Refuse upstream answers pointing into this laptop or the club's network (rebinding.hpp).
  bool stopRebinding = true;
  // Put on the queries to the upstreams (SO_MARK) so the outbound lock-down lets them out; 0:
  // no mark.
  std::uint32_t upstreamMark = 0;
};

// Counted on the packet path instead of logged.
struct DnsCounters {
  std::atomic<std::uint64_t> queries{0};
  std::atomic<std::uint64_t> cacheHits{0};
  std::atomic<std::uint64_t> blocked{0};
  std::atomic<std::uint64_t> rewritten{0};
  std::atomic<std::uint64_t> upstreamFailures{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> rebindingRefused{0};
};

// The DNS filter: listens on UDP and TCP, asks `filter` about every question, answers blocked
// names itself and forwards the rest (through the cache) to the upstream resolvers, and counts
// each decision in `decisions` when given one. Runs from construction (which throws DnsError if
// it cannot listen) until stop() or destruction.
class DnsProxy {
 public:
  DnsProxy(DnsProxyOptions options, const FilterDecision& filter,
           DecisionRecorder* decisions = nullptr);
  ~DnsProxy();
  DnsProxy(const DnsProxy&) = delete;
  DnsProxy& operator=(const DnsProxy&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const DnsCounters& counters() const { return counters_; }
  [[nodiscard]] std::size_t cachedAnswers() const { return cache_.size(); }
  // Beaten by the worker waiting on the sockets each time it wakes, and at least every
  // runtime::kBeatEvery while it waits: silent only when every worker is stuck.
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

  // The answer to one packet (from UDP if `overUdp`); false if it deserves none. Public so
  // that tests and the fuzzer can drive the whole decision path without sockets.
  [[nodiscard]] bool answer(Bytes packet, bool overUdp, Workspace& workspace, Buffer& out);

  // Forwards allowed names to `upstreams` from now on; queries under way finish with the
  // resolvers they started with. Safe from any thread (the resolver check calls it).
  void setUpstreams(std::vector<Endpoint> upstreams) { upstream_.setServers(std::move(upstreams)); }
  [[nodiscard]] std::vector<Endpoint> upstreams() const { return *upstream_.servers(); }

  // Stops answering: the workers finish the packet in hand and end. Safe to call twice.
  void stop();

 private:
  void work();
  [[nodiscard]] bool lead();
  void handOff(UdpBatch& batch);
  void beginBatch(Workspace& workspace) const;
  bool respond(Bytes packet, bool overUdp, Workspace& workspace, Buffer& out);
  Verdict decide(const Query& query, Workspace& workspace);
  void serveTcp(Socket connection, Workspace& workspace, Buffer& out);
  void forward(Bytes packet, const Query& query, bool localAnswersAllowed, Workspace& workspace,
               Buffer& out);
  void rewrite(const Query& query, const Verdict& verdict, Workspace& workspace, Buffer& out);

  DnsProxyOptions options_;
  const FilterDecision& filter_;
  DecisionRecorder* decisions_;
  UpstreamResolver upstream_;
  AnswerCache cache_;
  DnsCounters counters_;
  Socket udp_;
  Socket tcp_;
  std::optional<platform::StopPipe> stop_;
  // The UDP and TCP sockets and the stop pipe; only the leader waits on it.
  std::optional<platform::ReadableWait> sockets_;
  // Leader/followers: the worker holding the lead waits on the sockets, the others on this.
  std::mutex leadMutex_;
  std::condition_variable leadFree_;
  bool leadTaken_ = false;
  bool stopping_ = false;
  runtime::Heartbeat heartbeat_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace clubsafe::agent::dns
