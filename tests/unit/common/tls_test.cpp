#include "common/tls.hpp"

#include <gtest/gtest.h>

namespace clubsafe::common {
namespace {

TEST(Fingerprint, NormalisesTheFormsPeopleCopy) {
  const std::string hex = "ab" + std::string(62, '0');
  EXPECT_EQ(normaliseFingerprint(hex), hex);
  EXPECT_EQ(normaliseFingerprint("AB" + std::string(62, '0')), hex);
  std::string colons = "AB";
  for (int i = 0; i < 31; ++i) colons += ":00";
  EXPECT_EQ(normaliseFingerprint(colons), hex);
  EXPECT_EQ(normaliseFingerprint("SHA256:" + colons), hex);
}

TEST(Fingerprint, RefusesAnythingElse) {
  EXPECT_FALSE(normaliseFingerprint(""));
  EXPECT_FALSE(normaliseFingerprint(std::string(63, 'a')));
  EXPECT_FALSE(normaliseFingerprint(std::string(66, 'a')));
  EXPECT_FALSE(normaliseFingerprint("zz" + std::string(62, '0')));
  EXPECT_FALSE(normaliseFingerprint("md5:" + std::string(64, 'a')));
}

}  // namespace
}  // namespace clubsafe::common
