#include "agent/platform/socket_owner.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

namespace clubsafe::agent::platform {
namespace {

// An address in IPv6 form; IPv4 as ::ffff:a.b.c.d, so that either side of a dual-stack socket
// compares equal to the other.
using Address = std::array<unsigned char, 16>;

Address mapped(const unsigned char (&v4)[4]) {
  Address address{};
  address[10] = 0xff;
  address[11] = 0xff;
  std::memcpy(address.data() + 12, v4, 4);
  return address;
}

std::optional<Address> parseNumeric(const std::string& text) {
  unsigned char v4[4];
  if (::inet_pton(AF_INET, text.c_str(), v4) == 1) return mapped(v4);
  Address v6{};
  if (::inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return v6;
  return std::nullopt;
}

template <typename Number>
bool parseHex(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return error == std::errc() && end == text.data() + text.size();
}

// "0100007F:1F90" (IPv4) or 32 hex digits and a port (IPv6). The kernel prints each 32-bit
// word of the address as a number in this machine's byte order, so the words are copied back
// as they are in memory.
std::optional<std::pair<Address, std::uint16_t>> parseEndpoint(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto hex = text.substr(0, colon);
  std::uint16_t port = 0;
  if (!parseHex(text.substr(colon + 1), port)) return std::nullopt;
  if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
  unsigned char bytes[16];
  for (std::size_t word = 0; word < hex.size() / 8; ++word) {
    std::uint32_t value = 0;
    if (!parseHex(hex.substr(word * 8, 8), value)) return std::nullopt;
    std::memcpy(bytes + word * 4, &value, 4);
  }
  if (hex.size() == 8) {
    unsigned char v4[4];
    std::memcpy(v4, bytes, 4);
    return std::pair{mapped(v4), port};
  }
  Address v6;
  std::memcpy(v6.data(), bytes, 16);
  return std::pair{v6, port};
}

constexpr std::string_view kEstablished = "01";

class ProcSocketOwners final : public SocketOwners {
 public:
  explicit ProcSocketOwners(std::string procNet) : procNet_(std::move(procNet)) {}

  [[nodiscard]] std::optional<std::uint32_t> peerOwner(
      const TcpConnection& connection) const override {
    const auto local = parseNumeric(connection.localAddress);
    const auto remote = parseNumeric(connection.remoteAddress);
    if (!local || !remote) return std::nullopt;
    // The peer's socket: its local end is our remote end, and the other way round.
    const std::pair wantLocal{*remote, connection.remotePort};
    const std::pair wantRemote{*local, connection.localPort};
    for (const char* file : {"/tcp", "/tcp6"}) {
      std::ifstream table(procNet_ + file);
      std::string line;
      std::getline(table, line);  // the header
      while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, localText, remoteText, state, queues, timer, retransmits, uid;
        fields >> slot >> localText >> remoteText >> state >> queues >> timer >> retransmits >> uid;
        // 01 is TCP_ESTABLISHED: a socket closing its end (FIN_WAIT, CLOSE) is not a peer.
        if (!fields || state != kEstablished) continue;
        if (parseEndpoint(localText) != wantLocal || parseEndpoint(remoteText) != wantRemote) {
          continue;
        }
        std::uint32_t owner = 0;
        const auto [end, error] = std::from_chars(uid.data(), uid.data() + uid.size(), owner);
        if (error == std::errc() && end == uid.data() + uid.size()) return owner;
      }
    }
    return std::nullopt;
  }

 private:
  std::string procNet_;
};

}  // namespace

std::unique_ptr<SocketOwners> makeSocketOwners(std::string procNet) {
  return std::make_unique<ProcSocketOwners>(std::move(procNet));
}

}  // namespace clubsafe::agent::platform
