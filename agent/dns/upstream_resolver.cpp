#include "agent/dns/upstream_resolver.hpp"

#include <algorithm>
#include <cerrno>
#include <random>

namespace clubsafe::agent::dns {
namespace {

using Clock = std::chrono::steady_clock;

// A fresh id for every forwarded query, so an off-path attacker has to guess it (together
// with the kernel's random source port).
std::uint16_t randomId() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return static_cast<std::uint16_t>(generator());
}

// An upstream that answers SERVFAIL or REFUSED has failed this name: the next one is asked.
bool failedName(Bytes answer) {
  const auto rcode = static_cast<Rcode>(readU16(answer, 2) & flag::kRcodeMask);
  return rcode == Rcode::ServFail || rcode == Rcode::Refused;
}

}  // namespace

UpstreamResolver::UpstreamResolver(std::vector<Endpoint> servers, std::chrono::milliseconds timeout,
                                   std::uint32_t socketMark)
    : servers_(std::make_shared<const std::vector<Endpoint>>(std::move(servers))),
      timeout_(timeout),
      socketMark_(socketMark) {}

void UpstreamResolver::setServers(std::vector<Endpoint> servers) {
  std::atomic_store(&servers_, std::make_shared<const std::vector<Endpoint>>(std::move(servers)));
}

std::shared_ptr<const std::vector<Endpoint>> UpstreamResolver::servers() const {
  return std::atomic_load(&servers_);
}

bool UpstreamResolver::resolve(Bytes query, const Query& parsed, Workspace& workspace,
                               Buffer& answer) const {
  const auto held = servers();  // this query's list, whatever replaces it meanwhile
  const auto& list = *held;
  if (list.empty()) return false;
  const auto deadline = Clock::now() + timeout_;
  const auto tries = list.size() * kRounds;
  const auto share = timeout_ / static_cast<std::int64_t>(tries);

  Query expected = parsed;
  expected.id = randomId();
  workspace.outgoing.assign(query.begin(), query.end());
  writeU16(workspace.outgoing, 0, expected.id);

  for (std::size_t i = 0; i < tries && Clock::now() < deadline; ++i) {
    const auto& server = list[i % list.size()];
    auto outcome =
        overUdp(server, expected, std::min(deadline, Clock::now() + share), workspace, answer);
    if (outcome == Outcome::Truncated) {
      outcome = overTcp(server, expected, deadline, workspace, answer);
    }
    if (outcome == Outcome::Answered && !failedName(answer)) {
      writeU16(answer, 0, parsed.id);
      return true;
    }
  }
  return false;
}

UpstreamResolver::Outcome UpstreamResolver::overUdp(const Endpoint& server, const Query& expected,
                                                    Deadline deadline, Workspace& workspace,
                                                    Buffer& answer) const {
  const auto socket = connectedSocket(server, SOCK_DGRAM, socketMark_);
  if (!socket.valid() || !platform::sendDatagram(socket.get(), workspace.outgoing)) {
    return Outcome::Failed;
  }
  // Anything that is not the answer (a stray or forged packet) is dropped and we keep waiting.
  while (waitFor(socket.get(), false, deadline) == WaitResult::Ready) {
    const auto got = platform::receiveDatagram(socket.get(), workspace.received);
    if (got.status == platform::Received::Status::NothingYet) continue;
    if (got.status == platform::Received::Status::Failed) return Outcome::Failed;
    const Bytes received(workspace.received.data(), got.size);
    if (!answersQuery(received, expected)) continue;
    answer.assign(received.begin(), received.end());
    return (readU16(received, 2) & flag::kTc) != 0 ? Outcome::Truncated : Outcome::Answered;
  }
  return Outcome::Failed;
}

UpstreamResolver::Outcome UpstreamResolver::overTcp(const Endpoint& server, const Query& expected,
                                                    Deadline deadline, Workspace& workspace,
                                                    Buffer& answer) const {
  const auto socket = connectedSocket(server, SOCK_STREAM, socketMark_);
  if (!socket.valid()) return Outcome::Failed;
  std::array<std::uint8_t, 2> length{};
  writeU16(length, 0, static_cast<std::uint16_t>(workspace.outgoing.size()));
  if (!writeFully(socket.get(), length, deadline) ||
      !writeFully(socket.get(), workspace.outgoing, deadline) ||
      !readFully(socket.get(), length, deadline)) {
    return Outcome::Failed;
  }
  const auto body = std::span(workspace.received).first(readU16(length, 0));
  if (!readFully(socket.get(), body, deadline) || !answersQuery(body, expected)) {
    return Outcome::Failed;
  }
  answer.assign(body.begin(), body.end());
  return Outcome::Answered;
}

}  // namespace clubsafe::agent::dns
