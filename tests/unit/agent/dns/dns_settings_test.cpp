#include "agent/dns/dns_settings.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

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

// The dns.* table's defaults under `given`.
class DnsSettings {
 public:
  explicit DnsSettings(const std::map<std::string, std::string>& given) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> values = new Poco::Util::MapConfiguration;
    for (const auto& [key, value] : given) values->setString(key, value);
    config_->add(values, 0, false);
    common::addDefaults(*config_, dnsSettings());
  }
  [[nodiscard]] common::Settings settings() const { return {*config_, dnsSettings()}; }

 private:
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> config_ = new Poco::Util::LayeredConfiguration;
};

TEST(DnsSettingsTest, BlockAddressesAreReadAsBytesAndABadOneNamesItsSetting) {
  const DnsSettings good(std::map<std::string, std::string>{{"dns.block_address_v4", "192.0.2.7"},
                                                            {"dns.upstreams", "192.0.2.1"}});
  const auto options = dnsProxyOptions(good.settings(), "");
  EXPECT_EQ(options.blockAddresses.v4, (std::array<std::uint8_t, 4>{192, 0, 2, 7}));
  EXPECT_EQ(options.blockAddresses.v6, (std::array<std::uint8_t, 16>{}));  // the default, ::

  const DnsSettings bad(std::map<std::string, std::string>{{"dns.block_address_v6", "192.0.2.7"}});
  try {
    (void)dnsProxyOptions(bad.settings(), "");
    FAIL() << "an IPv4 address was taken as dns.block_address_v6";
  } catch (const DnsError& error) {
    EXPECT_STREQ(error.what(),
                 "The setting dns.block_address_v6 is \"192.0.2.7\", but it should be an IPv6 "
                 "address such as ::.");
  }
}

}  // namespace
}  // namespace clubsafe::agent::dns
