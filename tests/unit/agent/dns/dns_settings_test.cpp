#include "agent/dns/dns_settings.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::dns {
namespace {

TEST(DnsSettingsTest, SystemUpstreamsAreTheNameserversThatAreNotLoopback) {
  const auto upstreams = systemUpstreams(
      "# written by NetworkManager\n"
      "search club.lan\n"
      "nameserver 127.0.0.53\n"
      "nameserver 192.0.2.1\n"
      "nameserver ::1\n"
      "nameserver fe80::1%eth0\n"
      "nameserver   2001:db8::53  \n"
      "nameserver not-an-address\n"
      "options edns0 trust-ad\n");
  std::vector<std::string> texts;
  for (const auto& upstream : upstreams) texts.push_back(upstream.text());
  EXPECT_EQ(texts, (std::vector<std::string>{"192.0.2.1:53", "[2001:db8::53]:53"}));
}

TEST(DnsSettingsTest, NoResolvConfMeansNoUpstreams) {
  EXPECT_TRUE(systemUpstreams("").empty());
}

}  // namespace
}  // namespace clubsafe::agent::dns
