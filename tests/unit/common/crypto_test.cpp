#include "common/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace clubsafe::common {
namespace {

TEST(Crypto, RandomTokensAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto token = randomToken(32);
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(token).second);
  }
  EXPECT_EQ(randomHex(8).size(), 16u);
}

TEST(Crypto, Sha256MatchesKnownDigest) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(std::string("\x00\xff", 2)), "00ff");
}

TEST(Crypto, ConstantTimeEqualsComparesWholeValues) {
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret2"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

}  // namespace
}  // namespace clubsafe::common
