#include "agent/dns/dns_proxy.hpp"

#include "agent/dns/rebinding.hpp"
#include "agent/platform/datagram_batch.hpp"

#include <sys/socket.h>

#include <array>
#include <memory>
#include <system_error>

namespace clubsafe::agent::dns {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kListenBacklog = 64;
constexpr int kPortAttempts = 20;  // when a free port is picked and TCP finds it taken
constexpr int kUdpRounds = 4;  // full batches read in a row before looking at TCP and stop again

}  // namespace

// One worker's UDP packets, read and answered a batch at a time; allocated once per worker.
struct UdpBatch : platform::DatagramBatch {
  using DatagramBatch::DatagramBatch;
  bool leading = false;  // this worker holds the lead (DnsProxy::lead)
};

DnsProxy::DnsProxy(DnsProxyOptions options, const FilterDecision& filter,
                   DecisionRecorder* decisions)
    : options_(std::move(options)),
      filter_(filter),
      decisions_(decisions),
      upstream_(options_.upstreams, options_.timeout, options_.upstreamMark),
      cache_(options_.cacheEntries) {
  const auto wanted = options_.listen.port();
  for (int attempt = 0; attempt < (wanted == 0 ? kPortAttempts : 1) && !tcp_.valid(); ++attempt) {
    udp_ = platform::listeningSocket(options_.listen, SOCK_DGRAM, kListenBacklog);
    if (!udp_.valid()) break;
    port_ = platform::boundPort(udp_.get());
    tcp_ = platform::listeningSocket(options_.listen.withPort(port_), SOCK_STREAM, kListenBacklog);
  }
  if (!udp_.valid() || !tcp_.valid()) {
    throw DnsError("The DNS filter cannot listen on " + options_.listen.text() + ": " +
                   platform::lastSystemError() +
                   ". Another DNS server may be using it (stop it, or set dns.port), or the "
                   "agent is not running as root (ports below 1024 need root).");
  }
  try {
    stop_.emplace();
    sockets_.emplace(std::initializer_list<int>{udp_.get(), tcp_.get(), stop_->readEnd()});
  } catch (const std::system_error& error) {
    throw DnsError("The DNS filter could not start: " + error.code().message());
  }
  const auto workers = std::max<std::size_t>(options_.workers, 1);
  for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

DnsProxy::~DnsProxy() {
  stop();
}

void DnsProxy::stop() {
  if (workers_.empty()) return;
  {
    const std::lock_guard lock(leadMutex_);
    stopping_ = true;
  }
  leadFree_.notify_all();
  // It stays readable, so the leader and every TCP connection being served see it.
  stop_->raise();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

// Leader/followers: one worker at a time waits on the sockets and answers what it reads, so a
// blocked or cached answer never wakes another thread (on a busy laptop, and under dnsperf, a
// wake-up costs more than the answer). A worker about to wait on something else, an upstream or
// a TCP client, hands the lead on first, so nothing waits behind it.
bool DnsProxy::lead() {
  std::unique_lock lock(leadMutex_);
  leadFree_.wait(lock, [this] { return !leadTaken_ || stopping_; });
  if (stopping_) return false;
  leadTaken_ = true;
  return true;
}

void DnsProxy::handOff(UdpBatch& batch) {
  batch.sendHeld();  // the answers already made must not wait either
  if (!batch.leading) return;
  batch.leading = false;
  {
    const std::lock_guard lock(leadMutex_);
    leadTaken_ = false;
  }
  leadFree_.notify_one();
}

void DnsProxy::work() {
  const auto workspace = std::make_unique<Workspace>();
  const auto batch = std::make_unique<UdpBatch>(udp_.get());
  workspace->udp = batch.get();
  Buffer out;
  out.reserve(kMaxMessage + 2);
  std::array<int, 3> readable{};
  while (batch->leading || lead()) {
    batch->leading = true;
    const auto ready = sockets_->wait(
        readable, std::chrono::duration_cast<std::chrono::milliseconds>(runtime::kBeatEvery));
    heartbeat_.beat();
    for (std::size_t i = 0; i < ready && batch->leading; ++i) {
      const int fd = readable[i];
      if (fd == stop_->readEnd()) return;
      if (fd == tcp_.get()) {
        Socket connection = platform::acceptConnection(tcp_.get());
        if (!connection.valid()) continue;
        handOff(*batch);
        serveTcp(std::move(connection), *workspace, out);
        continue;
      }
      for (int round = 0; round < kUdpRounds; ++round) {
        const int received = batch->receive();
        if (received <= 0) break;  // nothing left (the socket does not block)
        beginBatch(*workspace);
        for (unsigned n = 0; n < static_cast<unsigned>(received); ++n) {
          if (respond(batch->packet(n), true, *workspace, out)) batch->hold(n, out);
        }
        batch->sendHeld();
        // Handed on while forwarding: the new leader reads what came meanwhile.
        if (!batch->leading || static_cast<unsigned>(received) < UdpBatch::kSize) break;
      }
    }
  }
}

// Queries one after another on a connection (RFC 7766), until the client closes it, stays
// silent for tcpIdle, or sends something that is not even a query header.
void DnsProxy::serveTcp(Socket connection, Workspace& workspace, Buffer& out) {
  std::array<std::uint8_t, 2> length{};
  std::array<std::uint8_t, kMaxMessage> packet{};
  while (readFully(connection.get(), length, Clock::now() + options_.tcpIdle, stop_->readEnd())) {
    const auto body = std::span(packet).first(readU16(length, 0));
    if (!readFully(connection.get(), body, Clock::now() + options_.timeout, stop_->readEnd())) {
      return;
    }
    beginBatch(workspace);
    if (!respond(body, false, workspace, out)) {
      return;
    }
    writeU16(length, 0, static_cast<std::uint16_t>(out.size()));
    const auto deadline = Clock::now() + options_.timeout;
    if (!writeFully(connection.get(), length, deadline) ||
        !writeFully(connection.get(), out, deadline)) {
      return;
    }
  }
}

bool DnsProxy::answer(Bytes packet, bool overUdp, Workspace& workspace, Buffer& out) {
  beginBatch(workspace);
  return respond(packet, overUdp, workspace, out);
}

// Once per batch of packets rather than per packet: the clock and the index in force.
void DnsProxy::beginBatch(Workspace& workspace) const {
  if (decisions_ == nullptr) return;
  workspace.minute = decisions_->currentMinute();
  workspace.categoryIndex = decisions_->indexInForce();
}

// The filter's verdict, counted by the recorder under its category's name: for a Block by the
// profile's own rules the reason ("closed", "block_list"), for a Block by an index category the
// name of that category. Its id belongs to the index the filter decided with. The batch pinned the
// index in force before deciding; if that is still the one in force, it is the one the filter used
// and names the id. If not, an index was swapped in meanwhile, and the question is decided again
// under the new one (swaps are rare, so this nearly never loops).
Verdict DnsProxy::decide(const Query& query, Workspace& workspace) {
  constexpr int kDecideAttempts = 4;
  const auto name = query.name.text();
  auto verdict = filter_.decide(name, query.qtype);
  if (decisions_ == nullptr) return verdict;
  std::string_view category;
  const auto fromIndex = [](const Verdict& v) {
    return v.action == Verdict::Action::Block && v.reason == Verdict::Reason::Category;
  };
  for (int attempt = 0; fromIndex(verdict); ++attempt) {
    auto inForce = decisions_->indexInForce();
    if (inForce == workspace.categoryIndex) {
      if (inForce && verdict.category < inForce->categories().size()) {
        category = inForce->categories()[verdict.category];
      }
      break;
    }
    if (attempt == kDecideAttempts) break;  // swapped again and again: recorded without a name
    workspace.categoryIndex = std::move(inForce);
    verdict = filter_.decide(name, query.qtype);
  }
  if (verdict.action == Verdict::Action::Block && !fromIndex(verdict)) {
    category = reasonCategoryName(verdict.reason);  // closed, block_list: the profile's own rules
  }
  auto action = DecisionAction::Allowed;
  switch (verdict.action) {
    case Verdict::Action::Allow:
      break;
    case Verdict::Action::Block:
      action = DecisionAction::Blocked;
      break;
    case Verdict::Action::NxDomain:
      action = DecisionAction::NxDomain;
      break;
    case Verdict::Action::Rewrite:
      action = DecisionAction::Rewritten;
      break;
  }
  decisions_->record(workspace.minute, name, action, category);
  return verdict;
}

bool DnsProxy::respond(Bytes packet, bool overUdp, Workspace& workspace, Buffer& out) {
  Query query;
  switch (parseQuery(packet, query)) {
    case QueryStatus::Drop:
      counters_.malformed.fetch_add(1, std::memory_order_relaxed);
      return false;
    case QueryStatus::FormErr:
      counters_.malformed.fetch_add(1, std::memory_order_relaxed);
      buildHeaderAnswer(packet, Rcode::FormErr, out);
      return true;
    case QueryStatus::NotImp:
      buildHeaderAnswer(packet, Rcode::NotImp, out);
      return true;
    case QueryStatus::Refused:
      buildRcodeAnswer(query, Rcode::Refused, out);
      return true;
    case QueryStatus::Ok:
      break;
  }
  counters_.queries.fetch_add(1, std::memory_order_relaxed);
  const auto verdict = decide(query, workspace);
  switch (verdict.action) {
    case Verdict::Action::Allow:
      forward(packet, query, verdict.localAnswersAllowed, workspace, out);
      break;
    case Verdict::Action::Block:
      counters_.blocked.fetch_add(1, std::memory_order_relaxed);
      if (options_.blockAnswer == BlockAnswer::Address) {
        buildBlockAnswer(query, options_.blockAddresses, options_.answerTtl, out);
      } else {
        buildRcodeAnswer(query, Rcode::NxDomain, out);
      }
      break;
    case Verdict::Action::NxDomain:
      counters_.blocked.fetch_add(1, std::memory_order_relaxed);
      buildRcodeAnswer(query, Rcode::NxDomain, out);
      break;
    case Verdict::Action::Rewrite:
      counters_.rewritten.fetch_add(1, std::memory_order_relaxed);
      rewrite(query, verdict, workspace, out);
      break;
  }
  truncateTo(query, overUdp ? query.udpPayload : kMaxMessage, out);
  return true;
}

// Only answers that passed the rebinding check are cached, so a cached one needs no check.
void DnsProxy::forward(Bytes packet, const Query& query, bool localAnswersAllowed,
                       Workspace& workspace, Buffer& out) {
  const auto now = Clock::now();
  if (cache_.lookup(query, now, out)) {
    counters_.cacheHits.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (workspace.udp != nullptr) handOff(*workspace.udp);
  if (!upstream_.resolve(packet, query, workspace, out)) {
    counters_.upstreamFailures.fetch_add(1, std::memory_order_relaxed);
    buildRcodeAnswer(query, Rcode::ServFail, out);
    return;
  }
  if (options_.stopRebinding && !localAnswersAllowed && pointsInward(out)) {
    counters_.rebindingRefused.fetch_add(1, std::memory_order_relaxed);
    buildRcodeAnswer(query, Rcode::Refused, out);
    return;
  }
  cache_.insert(query, out, now);
}

// Safe search: resolve the target (through the cache like any name) and answer with a CNAME
// to it followed by its records, as if the client's name were an alias of the target.
void DnsProxy::rewrite(const Query& query, const Verdict& verdict, Workspace& workspace,
                       Buffer& out) {
  Query targetQuery;
  Name targetName;
  if (targetName.assign(verdict.rewriteTarget)) {
    buildQuery(targetName, query.qtype, 0, workspace.rewriteQuery);
    if (parseQuery(workspace.rewriteQuery, targetQuery) == QueryStatus::Ok) {
      forward(workspace.rewriteQuery, targetQuery, verdict.localAnswersAllowed, workspace,
              workspace.rewriteAnswer);
      if (buildRewriteAnswer(query, targetName, options_.answerTtl, workspace.rewriteAnswer, out)) {
        return;
      }
    }
  }
  buildRcodeAnswer(query, Rcode::ServFail, out);
}

}  // namespace clubsafe::agent::dns
