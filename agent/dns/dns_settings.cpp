#include "agent/dns/dns_settings.hpp"

#include "agent/platform/socket.hpp"

#include <array>
#include <sstream>

namespace clubsafe::agent::dns {
namespace {

using common::SettingType;

constexpr std::array<common::SettingSpec, 11> kDnsSettings{{
    {"dns.enabled", SettingType::Boolean, "true",
     "Run the DNS filter (it is this laptop's resolver while the agent runs)."},
    {"dns.listen_address", SettingType::Text, "127.0.0.1",
     "Loopback address the DNS filter answers on, over UDP and TCP."},
    {"dns.port", SettingType::Integer, "53",
     "Port the DNS filter answers on; 53 for the laptop's own lookups, a high port to try it."},
    {"dns.upstreams", SettingType::Text, "",
     "Resolvers the DNS filter forwards allowed names to, in order, separated by commas "
     "(192.0.2.1, 192.0.2.2:5353, [2001:db8::1]); empty: those in /etc/resolv.conf, except "
     "loopback ones."},
    {"dns.timeout", SettingType::Seconds, "2",
     "Seconds an allowed name may take upstream, all resolvers and retries together, before "
     "the answer is SERVFAIL."},
    {"dns.cache_entries", SettingType::Integer, "10000",
     "Most upstream answers the DNS filter keeps (each for its TTL); 0 keeps none."},
    {"dns.block_answer", SettingType::Text, "address",
     "What a blocked name gets: address (the block addresses below) or nxdomain."},
    {"dns.block_address_v4", SettingType::Text, "127.0.0.2",
     "IPv4 address answered for a blocked name: the block page's (blockpage.address), so a "
     "plain-HTTP visit shows why the site is blocked."},
    {"dns.block_address_v6", SettingType::Text, "::", "IPv6 address answered for a blocked name."},
    {"dns.stop_rebinding", SettingType::Boolean, "true",
     "Refuse upstream answers pointing into this laptop or a private network (127/8, 10/8, "
     "172.16/12, 192.168/16, 169.254/16, 0/8, ::1, fc00::/7, fe80::/10) for names other than "
     "the collector's and the allow list's, so a web page cannot rebind its name to them."},
    {"dns.record_interval", SettingType::Seconds, "10",
     "Seconds (at least 1) between writes of the DNS filter's decision counts to the outbox; a "
     "crash loses at most this long's counts."},
}};

constexpr std::uint16_t kDnsPort = 53;

DnsError badSetting(std::string_view key, const std::string& value, std::string_view expected) {
  return DnsError("The setting " + std::string(key) + " is \"" + value + "\", but it should be " +
                  std::string(expected) + ".");
}

template <std::size_t N>
std::array<std::uint8_t, N> address(const common::Settings& settings, std::string_view key) {
  const auto text = settings.text(key);
  std::optional<std::array<std::uint8_t, N>> bytes;
  if constexpr (N == 4) {
    bytes = platform::ipv4Address(text);
  } else {
    bytes = platform::ipv6Address(text);
  }
  if (!bytes) {
    throw badSetting(key, text,
                     N == 4 ? "an IPv4 address such as 0.0.0.0" : "an IPv6 address such as ::");
  }
  return *bytes;
}

}  // namespace

std::span<const common::SettingSpec> dnsSettings() {
  return kDnsSettings;
}

std::vector<Endpoint> systemUpstreams(std::string_view resolvConf) {
  std::vector<Endpoint> upstreams;
  std::istringstream lines{std::string(resolvConf)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string keyword;
    std::string address;
    // A link-local address with its interface (fe80::1%eth0) cannot be written as an Endpoint.
    if (!(words >> keyword >> address) || keyword != "nameserver" ||
        address.find('%') != std::string::npos) {
      continue;
    }
    const auto endpoint = parseEndpoint(address, kDnsPort);
    if (endpoint && !endpoint->isLoopback()) upstreams.push_back(*endpoint);
  }
  return upstreams;
}

std::vector<std::string> commaSeparated(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  for (std::string word; std::getline(stream, word, ',');) {
    const auto start = word.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    words.push_back(word.substr(start, word.find_last_not_of(" \t") + 1 - start));
  }
  return words;
}

DnsProxyOptions dnsProxyOptions(const common::Settings& settings, std::string_view resolvConf) {
  DnsProxyOptions options;
  const auto port = settings.integer("dns.port");
  if (port < 1 || port > 65535) {
    throw badSetting("dns.port", std::to_string(port), "a port number from 1 to 65535");
  }
  const auto listen =
      parseEndpoint(settings.text("dns.listen_address"), static_cast<std::uint16_t>(port));
  if (!listen || !listen->isLoopback()) {
    throw badSetting("dns.listen_address", settings.text("dns.listen_address"),
                     "a loopback address such as 127.0.0.1 (the filter serves this laptop only)");
  }
  options.listen = *listen;

  for (const auto& word : commaSeparated(settings.text("dns.upstreams"))) {
    const auto upstream = parseEndpoint(word, kDnsPort);
    if (!upstream) {
      throw badSetting("dns.upstreams", settings.text("dns.upstreams"),
                       "addresses separated by commas, each with an optional port, such as "
                       "192.0.2.1, 192.0.2.2:5353, [2001:db8::1]:53");
    }
    options.upstreams.push_back(*upstream);
  }
  if (options.upstreams.empty()) options.upstreams = systemUpstreams(resolvConf);

  options.timeout = settings.duration("dns.timeout");
  if (options.timeout.count() <= 0) {
    throw badSetting("dns.timeout", "0", "more than 0 seconds, such as 2");
  }
  const auto entries = settings.integer("dns.cache_entries");
  if (entries < 0) {
    throw badSetting("dns.cache_entries", std::to_string(entries), "0 (no cache) or more");
  }
  options.cacheEntries = static_cast<std::size_t>(entries);
  options.blockAddresses.v4 = address<4>(settings, "dns.block_address_v4");
  options.blockAddresses.v6 = address<16>(settings, "dns.block_address_v6");
  const auto blockAnswer = settings.text("dns.block_answer");
  if (blockAnswer != "address" && blockAnswer != "nxdomain") {
    throw badSetting("dns.block_answer", blockAnswer, "address or nxdomain");
  }
  options.blockAnswer = blockAnswer == "address" ? BlockAnswer::Address : BlockAnswer::NxDomain;
  options.stopRebinding = settings.flag("dns.stop_rebinding");
  return options;
}

SafeSearchLevel safeSearchLevel(const common::Settings& settings) {
  const auto text = settings.text("filter.safe_search");
  const auto level = parseSafeSearchLevel(text);
  if (!level) throw badSetting("filter.safe_search", text, "strict, moderate or off");
  return *level;
}

}  // namespace clubsafe::agent::dns
