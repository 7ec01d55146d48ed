#pragma once

#include "tests/integration/harness.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

// The real DNS tools the filter's integration tests use, everything on 127.0.0.1: Debian's
// dnsmasq as the upstream resolver and dig as the client.
namespace clubsafe::testing {

inline constexpr const char* kDnsmasq = "/usr/sbin/dnsmasq";
inline constexpr const char* kDig = "/usr/bin/dig";

// Whether dnsmasq and dig are installed; the tests skip without them.
[[nodiscard]] bool haveDnsTools();
inline constexpr const char* kNoDnsTools =
    "dnsmasq and dig are not installed: run scripts/install-deps.sh (packages dnsmasq-base and "
    "bind9-dnsutils) to run the DNS filter tests.";

// The safe-search hosts dnsmasq answers, at stand-in addresses (one each, so a test sees which
// host's records were spliced in), so that no test asks the Internet.
struct HostRecord {
  const char* name;
  const char* address;
};
inline constexpr std::array<HostRecord, 6> kSafeSearchHostRecords{{
    {"forcesafesearch.google.com", "198.51.100.1"},
    {"restrict.youtube.com", "198.51.100.2"},
    {"restrictmoderate.youtube.com", "198.51.100.3"},
    {"strict.bing.com", "198.51.100.4"},
    {"safe.duckduckgo.com", "198.51.100.5"},
    {"forcesafe.search.brave.com", "198.51.100.6"},
}};

// dnsmasq on a free loopback port, answering a few names itself (and `extraArguments`, such as
// more --host-record options) and nothing else.
class Dnsmasq {
 public:
  explicit Dnsmasq(const TempDir& dir, const std::vector<std::string>& extraArguments = {});
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

struct Dig {
  std::string output;
  [[nodiscard]] std::string status() const;
  // The answer section's records as "name ttl type data" lines, TTLs included.
  [[nodiscard]] std::vector<std::string> answers() const;
};

Dig dig(std::uint16_t port, const std::string& name, const std::string& type,
        std::vector<std::string> options = {});

// The first IPv4 address the filter on `port` answers for `name`, or the answer's status
// (NXDOMAIN, SERVFAIL, NOERROR) when it gives none.
std::string firstAddress(std::uint16_t port, const std::string& name);

}  // namespace clubsafe::testing
