#pragma once

#include "agent/dns/socket.hpp"
#include "agent/dns/wire.hpp"
#include "tests/unit/agent/dns/packet_builder.hpp"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <poll.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

namespace clubsafe::agent::dns::testing {

inline Endpoint loopback(std::uint16_t port) {
  return parseEndpoint("127.0.0.1", port).value();
}

inline Socket udpSocketOnLoopback() {
  Socket socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  const auto any = loopback(0);
  EXPECT_EQ(::bind(socket.get(), any.raw(), any.length), 0);
  return socket;
}

inline std::uint16_t portOf(const Socket& socket) {
  Endpoint bound;
  bound.length = sizeof bound.address;
  ::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&bound.address), &bound.length);
  return bound.port();
}

// A stand-in upstream on 127.0.0.1: answers every question with `address` (TTL 300; an A record
// for 4 bytes, AAAA for 16), or stays silent when told to, and counts what it was asked.
class FakeUpstream {
 public:
  enum class Mode { Answer, Silent, ServFail };
  explicit FakeUpstream(Mode mode = Mode::Answer,
                        std::vector<std::uint8_t> address = {192, 0, 2, 7})
      : mode_(mode), address_(std::move(address)), socket_(udpSocketOnLoopback()) {
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeUpstream() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] Endpoint endpoint() const { return loopback(portOf(socket_)); }
  [[nodiscard]] int queries() const { return queries_; }

 private:
  void serve() {
    std::array<std::uint8_t, 4096> packet{};
    while (!stop_) {
      pollfd fd{socket_.get(), POLLIN, 0};
      if (::poll(&fd, 1, 20) <= 0) continue;
      sockaddr_storage from{};
      socklen_t length = sizeof from;
      const auto n = ::recvfrom(socket_.get(), packet.data(), packet.size(), 0,
                                reinterpret_cast<sockaddr*>(&from), &length);
      Query query;
      if (n <= 0 ||
          parseQuery(Bytes(packet.data(), static_cast<std::size_t>(n)), query) != QueryStatus::Ok) {
        continue;
      }
      ++queries_;
      if (mode_ == Mode::Silent) continue;
      PacketBuilder answer;
      if (mode_ == Mode::ServFail) {
        answer.header(query.id, flag::kQr | flag::kRd | flag::kRa | 2, 1, 0, 0, 0)
            .question(query.name.text(), query.qtype);
      } else {
        answer.header(query.id, flag::kQr | flag::kRd | flag::kRa, 1, 1, 0, 0)
            .question(query.name.text(), query.qtype)
            .pointer(12)
            .record(address_.size() == 16 ? rrtype::kAaaa : rrtype::kA, 300, address_);
      }
      (void)::sendto(socket_.get(), answer.bytes().data(), answer.bytes().size(), 0,
                     reinterpret_cast<const sockaddr*>(&from), length);
    }
  }

  Mode mode_;
  std::vector<std::uint8_t> address_;
  Socket socket_;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

}  // namespace clubsafe::agent::dns::testing
