#include "agent/dns/rebinding.hpp"

#include "tests/unit/agent/dns/packet_builder.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

namespace clubsafe::agent::dns {
namespace {

using testing::PacketBuilder;

bool localV4(const std::string& text) {
  std::array<std::uint8_t, 4> address{};
  EXPECT_EQ(::inet_pton(AF_INET, text.c_str(), address.data()), 1) << text;
  return isLocalAddress(std::span<const std::uint8_t, 4>(address));
}

bool localV6(const std::string& text) {
  std::array<std::uint8_t, 16> address{};
  EXPECT_EQ(::inet_pton(AF_INET6, text.c_str(), address.data()), 1) << text;
  return isLocalAddress(std::span<const std::uint8_t, 16>(address));
}

TEST(RebindingTest, LoopbackPrivateLinkLocalAndUnspecifiedIPv4AddressesAreLocal) {
  for (const auto* text :
       {"0.0.0.0", "0.1.2.3", "10.0.0.0", "10.255.255.255", "127.0.0.1", "127.0.0.2", "172.16.0.1",
        "172.31.255.255", "192.168.1.1", "169.254.169.254"}) {
    EXPECT_TRUE(localV4(text)) << text;
  }
  for (const auto* text :
       {"1.0.0.0", "9.255.255.255", "11.0.0.0", "126.255.255.255", "128.0.0.0", "172.15.255.255",
        "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.0.1", "8.8.8.8", "192.0.2.7"}) {
    EXPECT_FALSE(localV4(text)) << text;
  }
}

TEST(RebindingTest, LoopbackUniqueLocalLinkLocalUnspecifiedAndMappedIPv6AddressesAreLocal) {
  for (const auto* text : {"::", "::1", "fc00::", "fd00::1", "fdff:ffff::1", "fe80::1", "febf::1",
                           "::ffff:10.0.0.1", "::ffff:127.0.0.2"}) {
    EXPECT_TRUE(localV6(text)) << text;
  }
  for (const auto* text : {"::2", "fb00::1", "fe00::1", "fec0::1", "2001:db8::1", "2a00:1450::1",
                           "::ffff:8.8.8.8", "64:ff9b::a00:1"}) {
    EXPECT_FALSE(localV6(text)) << text;
  }
}

PacketBuilder answerHeader(std::uint16_t answers, std::uint16_t additional) {
  PacketBuilder packet;
  packet.header(7, flag::kQr | flag::kRd | flag::kRa, 1, answers, 0, additional)
      .question("rebind.test", rrtype::kA);
  return packet;
}

TEST(RebindingTest, AnAnswerPointsInwardIfAnyAddressRecordIsLocal) {
  auto outside = answerHeader(1, 0);
  outside.pointer(12).record(rrtype::kA, 60, {192, 0, 2, 7});
  EXPECT_FALSE(pointsInward(outside.bytes()));

  auto inside = answerHeader(2, 0);
  inside.pointer(12).record(rrtype::kA, 60, {192, 0, 2, 7});
  inside.pointer(12).record(rrtype::kA, 60, {10, 0, 0, 1});
  EXPECT_TRUE(pointsInward(inside.bytes()));

  auto additional = answerHeader(1, 1);
  additional.pointer(12).record(rrtype::kA, 60, {192, 0, 2, 7});
  additional.pointer(12).record(rrtype::kAaaa, 60,
                                {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  EXPECT_TRUE(pointsInward(additional.bytes()));

  // Only address records hold addresses: a TXT record of four bytes is not one.
  auto text = answerHeader(1, 0);
  text.pointer(12).record(16, 60, {3, 'a', 'b', 'c'});
  EXPECT_FALSE(pointsInward(text.bytes()));
}

TEST(RebindingTest, AMalformedAnswerCountsAsPointingInward) {
  auto cut = answerHeader(1, 0);
  cut.pointer(12).record(rrtype::kA, 60, {192, 0, 2, 7});
  auto bytes = cut.bytes();
  bytes.resize(bytes.size() - 2);
  EXPECT_TRUE(pointsInward(bytes));
  EXPECT_TRUE(pointsInward(Bytes(bytes.data(), 5)));
}

}  // namespace
}  // namespace clubsafe::agent::dns
