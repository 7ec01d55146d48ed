#include "agent/dns/dns_proxy.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <system_error>

namespace clubsafe::agent::dns {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kListenBacklog = 64;
constexpr int kPortAttempts = 20;  // when a free port is picked and TCP finds it taken
constexpr int kUdpBatch = 32;      // packets read in a row before looking at the others again

std::string lastError() {
  return std::error_code(errno, std::generic_category()).message();
}

Socket boundSocket(const Endpoint& at, int type) {
  Socket socket(::socket(at.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return socket;
  const int on = 1;
  if (type == SOCK_STREAM) ::setsockopt(socket.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(socket.fd(), at.raw(), at.length) != 0) return Socket();
  if (type == SOCK_STREAM && ::listen(socket.fd(), kListenBacklog) != 0) return Socket();
  return socket;
}

std::uint16_t boundPort(const Socket& socket) {
  Endpoint bound;
  bound.length = sizeof bound.address;
  ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&bound.address), &bound.length);
  return bound.port();
}

Endpoint withPort(Endpoint endpoint, std::uint16_t port) {
  if (endpoint.family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&endpoint.address)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&endpoint.address)->sin6_port = htons(port);
  }
  return endpoint;
}

}  // namespace

DnsProxy::DnsProxy(DnsProxyOptions options, const FilterDecision& filter,
                   DecisionRecorder* decisions)
    : options_(std::move(options)),
      filter_(filter),
      decisions_(decisions),
      upstream_(options_.upstreams, options_.timeout),
      cache_(options_.cacheEntries) {
  const auto wanted = options_.listen.port();
  for (int attempt = 0; attempt < (wanted == 0 ? kPortAttempts : 1) && !tcp_.valid(); ++attempt) {
    udp_ = boundSocket(options_.listen, SOCK_DGRAM);
    if (!udp_.valid()) break;
    port_ = boundPort(udp_);
    tcp_ = boundSocket(withPort(options_.listen, port_), SOCK_STREAM);
  }
  if (!udp_.valid() || !tcp_.valid()) {
    throw DnsError("The DNS filter cannot listen on " + options_.listen.text() + ": " +
                   lastError() +
                   ". Another DNS server may be using it (stop it, or set dns.port), or the "
                   "agent is not running as root (ports below 1024 need root).");
  }
  std::array<int, 2> stopPipe{};
  if (::pipe2(stopPipe.data(), O_CLOEXEC) != 0) {
    throw DnsError("The DNS filter could not start: " + lastError());
  }
  stopRead_ = Socket(stopPipe[0]);
  stopWrite_ = Socket(stopPipe[1]);
  // One epoll set per worker, the shared sockets in each with EPOLLEXCLUSIVE, so that a packet
  // wakes one idle worker instead of all of them (Linux; a port uses its own wait here).
  const auto workers = std::max<std::size_t>(options_.workers, 1);
  for (std::size_t i = 0; i < workers; ++i) {
    Socket epoll(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event udp{EPOLLIN | EPOLLEXCLUSIVE, {.fd = udp_.fd()}};
    epoll_event tcp{EPOLLIN | EPOLLEXCLUSIVE, {.fd = tcp_.fd()}};
    epoll_event stop{EPOLLIN, {.fd = stopRead_.fd()}};
    if (!epoll.valid() || ::epoll_ctl(epoll.fd(), EPOLL_CTL_ADD, udp_.fd(), &udp) != 0 ||
        ::epoll_ctl(epoll.fd(), EPOLL_CTL_ADD, tcp_.fd(), &tcp) != 0 ||
        ::epoll_ctl(epoll.fd(), EPOLL_CTL_ADD, stopRead_.fd(), &stop) != 0) {
      throw DnsError("The DNS filter could not start: " + lastError());
    }
    epolls_.push_back(std::move(epoll));
  }
  for (std::size_t i = 0; i < epolls_.size(); ++i) {
    workers_.emplace_back([this, fd = epolls_[i].fd(), i] { work(fd, i); });
  }
}

DnsProxy::~DnsProxy() { stop(); }

void DnsProxy::stop() {
  if (workers_.empty()) return;
  // One byte that nobody reads keeps the pipe readable, so every worker sees it.
  const std::uint8_t stop = 1;
  while (::write(stopWrite_.fd(), &stop, 1) < 0 && errno == EINTR) {
  }
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void DnsProxy::work(int epoll, std::size_t worker) {
  const auto workspace = std::make_unique<Workspace>();
  workspace->worker = worker;
  std::array<std::uint8_t, kMaxMessage> packet{};
  Buffer out;
  out.reserve(kMaxMessage + 2);
  std::array<epoll_event, 3> events{};
  while (true) {
    const int ready = ::epoll_wait(epoll, events.data(), events.size(), -1);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == stopRead_.fd()) return;
      if (fd == tcp_.fd()) {
        Socket connection(::accept4(tcp_.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (connection.valid()) serveTcp(std::move(connection), *workspace, out);
        continue;
      }
      beginBatch(*workspace);
      for (int n = 0; n < kUdpBatch; ++n) {
        sockaddr_storage from{};
        socklen_t fromLength = sizeof from;
        const auto size = ::recvfrom(udp_.fd(), packet.data(), packet.size(), 0,
                                     reinterpret_cast<sockaddr*>(&from), &fromLength);
        if (size < 0) break;  // nothing left (the socket does not block)
        if (respond(Bytes(packet.data(), static_cast<std::size_t>(size)), true, *workspace, out)) {
          (void)::sendto(udp_.fd(), out.data(), out.size(), MSG_NOSIGNAL,
                         reinterpret_cast<const sockaddr*>(&from), fromLength);
        }
      }
    }
  }
}

// Queries one after another on a connection (RFC 7766), until the client closes it, stays
// silent for tcpIdle, or sends something that is not even a query header.
void DnsProxy::serveTcp(Socket connection, Workspace& workspace, Buffer& out) {
  std::array<std::uint8_t, 2> length{};
  std::array<std::uint8_t, kMaxMessage> packet{};
  while (readFully(connection.fd(), length, Clock::now() + options_.tcpIdle, stopRead_.fd())) {
    const auto body = std::span(packet).first(readU16(length, 0));
    if (!readFully(connection.fd(), body, Clock::now() + options_.timeout, stopRead_.fd())) return;
    beginBatch(workspace);
    if (!respond(body, false, workspace, out)) {
      return;
    }
    writeU16(length, 0, static_cast<std::uint16_t>(out.size()));
    const auto deadline = Clock::now() + options_.timeout;
    if (!writeFully(connection.fd(), length, deadline) ||
        !writeFully(connection.fd(), out, deadline)) {
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

// The filter's verdict, counted by the recorder under its category's name. A Block verdict's
// category id belongs to the index the filter decided with. The batch pinned the index in force
// before deciding; if that is still the one in force, it is the one the filter used and names
// the id. If not, an index was swapped in meanwhile, and the question is decided again under the
// new one (swaps are rare, so this nearly never loops).
Verdict DnsProxy::decide(const Query& query, Workspace& workspace) {
  constexpr int kDecideAttempts = 4;
  const auto name = query.name.text();
  auto verdict = filter_.decide(name, query.qtype);
  if (decisions_ == nullptr) return verdict;
  std::string_view category;
  for (int attempt = 0; verdict.action == Verdict::Action::Block; ++attempt) {
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
  auto action = DecisionAction::Allowed;
  switch (verdict.action) {
    case Verdict::Action::Allow: break;
    case Verdict::Action::Block: action = DecisionAction::Blocked; break;
    case Verdict::Action::NxDomain: action = DecisionAction::NxDomain; break;
    case Verdict::Action::Rewrite: action = DecisionAction::Rewritten; break;
  }
  decisions_->record(workspace.worker, workspace.minute, name, action, category);
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
      forward(packet, query, workspace, out);
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
      rewrite(query, verdict.rewriteTarget, workspace, out);
      break;
  }
  truncateTo(query, overUdp ? query.udpPayload : kMaxMessage, out);
  return true;
}

void DnsProxy::forward(Bytes packet, const Query& query, Workspace& workspace, Buffer& out) {
  const auto now = Clock::now();
  if (cache_.lookup(query, now, out)) {
    counters_.cacheHits.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!upstream_.resolve(packet, query, workspace, out)) {
    counters_.upstreamFailures.fetch_add(1, std::memory_order_relaxed);
    buildRcodeAnswer(query, Rcode::ServFail, out);
    return;
  }
  cache_.insert(query, out, now);
}

// Safe search: resolve the target (through the cache like any name) and answer with a CNAME
// to it followed by its records, as if the client's name were an alias of the target.
void DnsProxy::rewrite(const Query& query, std::string_view target, Workspace& workspace,
                       Buffer& out) {
  Query targetQuery;
  Name targetName;
  if (targetName.assign(target)) {
    buildQuery(targetName, query.qtype, 0, workspace.rewriteQuery);
    if (parseQuery(workspace.rewriteQuery, targetQuery) == QueryStatus::Ok) {
      forward(workspace.rewriteQuery, targetQuery, workspace, workspace.rewriteAnswer);
      if (buildRewriteAnswer(query, targetName, options_.answerTtl, workspace.rewriteAnswer, out)) {
        return;
      }
    }
  }
  buildRcodeAnswer(query, Rcode::ServFail, out);
}

}  // namespace clubsafe::agent::dns
