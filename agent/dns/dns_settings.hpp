#pragma once

#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/safe_search.hpp"
#include "common/settings.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

// The dns.* settings, read by dnsProxyOptions() below and agent/assembly/dns_assembly.cpp.
[[nodiscard]] std::span<const common::SettingSpec> dnsSettings();

// The resolvers named by `nameserver` lines of a resolv.conf, except loopback ones (that would
// be the filter itself, or a local stub that the filter replaces).
[[nodiscard]] std::vector<Endpoint> systemUpstreams(std::string_view resolvConf);

// The words of a comma-separated setting, trimmed of spaces and tabs; empty words left out.
[[nodiscard]] std::vector<std::string> commaSeparated(const std::string& text);

// The proxy's options from the dns.* settings; with dns.upstreams empty, the system's resolvers
// from `resolvConf`. Throws DnsError naming the setting that is wrong and what it should be.
[[nodiscard]] DnsProxyOptions dnsProxyOptions(const common::Settings& settings,
                                              std::string_view resolvConf);

// The level of filter.safe_search. Throws DnsError naming the setting when it is not one.
[[nodiscard]] SafeSearchLevel safeSearchLevel(const common::Settings& settings);

}  // namespace clubsafe::agent::dns
