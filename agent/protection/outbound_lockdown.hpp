#pragma once

#include "agent/platform/packet_filter.hpp"
#include "agent/sources/source.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::protection {

class LockdownError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The mark the DNS filter puts on its own queries to the upstream resolvers (SO_MARK), the one
// thing the lock-down lets through to port 53 and 853 off the machine. Setting it needs
// CAP_NET_ADMIN, which no young person's program has.
inline constexpr std::uint32_t kUpstreamSocketMark = 0x636c7562;  // "club"

// The agent's own nftables table.
inline constexpr const char* kLockdownTable = "inet clubsafe";

// An address or a range, as nft writes it.
struct BlockedNetwork {
  bool ipv6 = false;
  std::string text;
};

// The addresses and ranges in `list` (separated by commas or spaces; "9.9.9.9",
// "2620:fe::fe", "45.90.28.0/24"). Throws LockdownError naming the first that is not one.
[[nodiscard]] std::vector<BlockedNetwork> parseBlockedNetworks(std::string_view list);

// The built-in public resolvers followed by `extra`.
[[nodiscard]] std::vector<BlockedNetwork> blockedResolvers(std::string_view extra);

// The table (docs/CIRCUMVENTION.md): on the way out of the machine, port 53 and 853 (UDP and
// TCP, IPv4 and IPv6) only for packets carrying kUpstreamSocketMark, and nothing at all to
// `blocked` (DNS over HTTPS and QUIC to a public resolver by its address). Loopback is left
// alone: that is where the filter answers.
[[nodiscard]] std::string lockdownRuleset(const std::vector<BlockedNetwork>& blocked);

// Keeps the table in the kernel (F5): a poll that finds it removed (`nft flush ruleset`, a
// firewall reload) or changed puts it back and reports a tamper event. Safe to call from the
// scheduler's thread and the main thread at once.
class OutboundLockdown : public sources::Source {
 public:
  OutboundLockdown(platform::PacketFilter& filter, std::string ruleset,
                   std::chrono::milliseconds interval);

  // Puts the table in place, replacing one a run that did not stop cleanly left. Throws
  // LockdownError saying what failed; the poll then tries again.
  void install();
  // Takes the table out, on a clean stop. Failures are logged with what to do by hand.
  void remove();

  [[nodiscard]] std::string_view name() const override { return "outbound lock-down"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  void put();

  platform::PacketFilter& filter_;
  std::string ruleset_;
  std::chrono::milliseconds interval_;
  std::optional<std::string> installed_;  // the kernel's listing of the table as put in place
  std::mutex mutex_;
};

}  // namespace clubsafe::agent::protection
