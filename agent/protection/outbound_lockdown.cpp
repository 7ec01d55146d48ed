#include "agent/protection/outbound_lockdown.hpp"

#include "agent/protection/public_resolvers.hpp"
#include "agent/protection/tamper_event.hpp"

#include <Poco/Net/IPAddress.h>
#include <Poco/NumberParser.h>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace clubsafe::agent::protection {
namespace {

constexpr unsigned kIpv4Bits = 32;
constexpr unsigned kIpv6Bits = 128;

// One address or range, written back from its parsed form so that nothing but an address
// reaches the ruleset; nullopt when `entry` is not one.
std::optional<BlockedNetwork> parseNetwork(std::string_view entry) {
  const auto slash = entry.find('/');
  Poco::Net::IPAddress address;
  // A scope ("%eth0") names an interface, which a firewall set cannot hold.
  if (!Poco::Net::IPAddress::tryParse(std::string(entry.substr(0, slash)), address) ||
      address.scope() != 0) {
    return std::nullopt;
  }
  const bool ipv6 = address.family() == Poco::Net::IPAddress::IPv6;
  BlockedNetwork network{ipv6, address.toString()};
  if (slash == std::string_view::npos) return network;
  unsigned bits = 0;
  if (!Poco::NumberParser::tryParseUnsigned(std::string(entry.substr(slash + 1)), bits) ||
      bits == 0 || bits > (ipv6 ? kIpv6Bits : kIpv4Bits)) {
    return std::nullopt;
  }
  network.text += "/" + std::to_string(bits);
  return network;
}

// The IPv6 (or IPv4) addresses in `blocked` as an nft set's elements, or empty.
std::string elements(const std::vector<BlockedNetwork>& blocked, bool ipv6) {
  std::string list;
  for (const auto& network : blocked) {
    if (network.ipv6 != ipv6) continue;
    list += (list.empty() ? "" : ", ") + network.text;
  }
  return list;
}

}  // namespace

std::vector<BlockedNetwork> parseBlockedNetworks(std::string_view list) {
  std::vector<BlockedNetwork> networks;
  std::size_t start = 0;
  while (start < list.size()) {
    const auto end = std::min(list.find_first_of(", ", start), list.size());
    const auto entry = list.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    auto network = parseNetwork(entry);
    if (!network) {
      throw LockdownError("\"" + std::string(entry) +
                          "\" is not an IP address or a range such as 192.0.2.0/24.");
    }
    networks.push_back(std::move(*network));
  }
  return networks;
}

std::vector<BlockedNetwork> blockedResolvers(std::string_view extra) {
  std::vector<BlockedNetwork> networks;
  for (const auto entry : publicResolverAddresses()) {
    auto network = parseNetwork(entry);
    if (network) networks.push_back(std::move(*network));  // the unit tests parse them all
  }
  try {
    for (auto& network : parseBlockedNetworks(extra)) networks.push_back(std::move(network));
  } catch (const LockdownError& error) {
    throw LockdownError(std::string("The setting protection.blocked_resolvers is wrong: ") +
                        error.what());
  }
  return networks;
}

std::string lockdownRuleset(const std::vector<BlockedNetwork>& blocked) {
  std::string sets;
  std::string rules;
  for (const bool ipv6 : {false, true}) {
    const auto list = elements(blocked, ipv6);
    if (list.empty()) continue;
    const char* name = ipv6 ? "public_resolvers_v6" : "public_resolvers_v4";
    sets += fmt::format("  set {} {{ type {}; flags interval; auto-merge; elements = {{ {} }} }}\n",
                        name, ipv6 ? "ipv6_addr" : "ipv4_addr", list);
    rules += fmt::format("    {} daddr @{} reject\n", ipv6 ? "ip6" : "ip", name);
  }
  return fmt::format(
      "table {} {{\n{}  chain output {{\n"
      "    type filter hook output priority filter; policy accept;\n"
      "    oifname \"lo\" accept\n"
      "    meta mark {:#x} meta l4proto {{ tcp, udp }} th dport {{ 53, 853 }} accept\n"
      "    tcp dport {{ 53, 853 }} reject with tcp reset\n"
      "    udp dport {{ 53, 853 }} reject\n{}  }}\n}}\n",
      kLockdownTable, sets, kUpstreamSocketMark, rules);
}

OutboundLockdown::OutboundLockdown(platform::PacketFilter& filter, std::string ruleset,
                                   std::chrono::milliseconds interval)
    : filter_(filter), ruleset_(std::move(ruleset)), interval_(interval) {}

void OutboundLockdown::put() {
  try {
    filter_.replaceTable(kLockdownTable, ruleset_);
    installed_ = filter_.listTable(kLockdownTable);
  } catch (const platform::PacketFilterError& error) {
    installed_.reset();
    throw LockdownError(std::string("The outbound lock-down could not be put in place, so "
                                    "programs could ask other DNS resolvers than the filter: ") +
                        error.what());
  }
}

void OutboundLockdown::install() {
  const std::lock_guard lock(mutex_);
  put();
}

void OutboundLockdown::remove() {
  const std::lock_guard lock(mutex_);
  try {
    filter_.deleteTable(kLockdownTable);
    installed_.reset();
  } catch (const platform::PacketFilterError& error) {
    spdlog::error(
        "The outbound lock-down could not be removed ({}); remove it with: nft delete "
        "table {}",
        error.what(), kLockdownTable);
  }
}

std::vector<common::Event> OutboundLockdown::poll() {
  const std::lock_guard lock(mutex_);
  std::vector<common::Event> events;
  try {
    if (!installed_) {  // never in place yet: no one changed anything
      put();
      spdlog::info("The outbound lock-down is in place now.");
      return events;
    }
    const auto found = filter_.listTable(kLockdownTable);
    if (found == installed_) return events;
    put();
    events.push_back(tamperEvent(
        found ? "outbound_lockdown_changed" : "outbound_lockdown_removed",
        std::string("The firewall table that keeps DNS going through the filter had been ") +
            (found ? "changed" : "removed") + "; the agent put it back."));
    spdlog::warn("{}", events.back().payload->getValue<std::string>("detail"));
  } catch (const LockdownError& error) {
    spdlog::error("{} The agent tries again in {} seconds.", error.what(),
                  std::chrono::duration_cast<std::chrono::seconds>(interval_).count());
  } catch (const platform::PacketFilterError& error) {
    spdlog::error("The outbound lock-down could not be checked: {}", error.what());
  }
  return events;
}

}  // namespace clubsafe::agent::protection
