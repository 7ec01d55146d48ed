#include "agent/dns/socket.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::dns {
namespace {

TEST(SocketTest, ParsesAddressesWithAndWithoutPorts) {
  const auto plain = parseEndpoint("192.0.2.1", 53);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->text(), "192.0.2.1:53");
  EXPECT_FALSE(plain->isLoopback());
  const auto withPort = parseEndpoint("127.0.0.1:5353", 53);
  ASSERT_TRUE(withPort);
  EXPECT_EQ(withPort->port(), 5353);
  EXPECT_TRUE(withPort->isLoopback());
  const auto v6 = parseEndpoint("2001:db8::1", 53);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->text(), "[2001:db8::1]:53");
  const auto v6Port = parseEndpoint("[::1]:5353", 53);
  ASSERT_TRUE(v6Port);
  EXPECT_EQ(v6Port->port(), 5353);
  EXPECT_TRUE(v6Port->isLoopback());
  ASSERT_TRUE(parseEndpoint("[::1]", 53));
}

TEST(SocketTest, RefusesWhatIsNotAnAddress) {
  for (const auto bad : {"", "localhost", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:70000", "[::1",
                         "[::1]x", "1.2.3.4:53x", "300.1.1.1"}) {
    EXPECT_FALSE(parseEndpoint(bad, 53)) << bad;
  }
}

}  // namespace
}  // namespace clubsafe::agent::dns
