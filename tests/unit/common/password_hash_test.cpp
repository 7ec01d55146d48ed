#include "common/password_hash.hpp"

#include "tests/unit/common/cheap_password_hash.hpp"

#include <gtest/gtest.h>

#include <set>

namespace clubsafe::common {
namespace {

std::vector<std::string> fields(const std::string& encoded) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto at = encoded.find('$'); at != std::string::npos; at = encoded.find('$', start)) {
    parts.push_back(encoded.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(encoded.substr(start));
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : "$") + part;
  return joined;
}

// The only test that pays for the real parameters (a few hundred milliseconds).
TEST(PasswordHash, RealHashVerifiesOnlyItsPasswordAndSaltsDiffer) {
  const auto first = hashPassword("correct horse battery");
  const auto second = hashPassword("correct horse battery");
  EXPECT_NE(first, second);

  const auto parts = fields(first);
  ASSERT_EQ(parts.size(), 6U);
  EXPECT_EQ(parts[0], "scrypt");
  EXPECT_EQ(parts[1], "15");
  EXPECT_EQ(parts[2], "8");
  EXPECT_EQ(parts[3], "1");
  EXPECT_EQ(parts[4].size(), 24U);  // 16 bytes of salt
  EXPECT_EQ(parts[5].size(), 44U);  // 32 bytes of hash
  EXPECT_NE(parts[4], fields(second)[4]);

  EXPECT_TRUE(verifyPassword("correct horse battery", first));
  EXPECT_FALSE(verifyPassword("correct horse batterY", first));
}

TEST(PasswordHash, ParametersAreReadFromTheEncoding) {
  EXPECT_TRUE(verifyPassword("pw", testing::cheapPasswordHash("pw", 10, 8, 1)));
  EXPECT_TRUE(verifyPassword("pw", testing::cheapPasswordHash("pw", 11, 4, 2)));
  EXPECT_FALSE(verifyPassword("pW", testing::cheapPasswordHash("pw", 11, 4, 2)));
  EXPECT_TRUE(verifyPassword("", testing::cheapPasswordHash("")));
}

TEST(PasswordHash, TamperedHashIsRefused) {
  auto parts = fields(testing::cheapPasswordHash("pw"));
  parts[5][0] = parts[5][0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifyPassword("pw", join(parts)));
  parts = fields(testing::cheapPasswordHash("pw"));
  parts[1] = "11";  // the right hash under other parameters
  EXPECT_FALSE(verifyPassword("pw", join(parts)));
}

TEST(PasswordHash, MalformedEncodingsAreRefusedWithoutThrowing) {
  const auto good = fields(testing::cheapPasswordHash("pw"));
  const auto with = [&](std::size_t field, const std::string& value) {
    auto parts = good;
    parts[field] = value;
    return join(parts);
  };
  const std::vector<std::string> malformed = {
      "",
      "scrypt",
      "$$$$$",
      join({good.begin(), good.end() - 1}),
      join(good) + "$",
      with(0, "bcrypt"),
      with(0, "SCRYPT"),
      with(1, ""),
      with(1, "x"),
      with(1, "+10"),
      with(1, "-10"),
      with(1, "10 "),
      with(1, "9"),                     // too cheap to be ours
      with(1, "40"),                    // would take for ever
      with(1, "99999999999999999999"),  // overflows
      with(2, "0"),
      with(2, "1000"),
      with(3, "0"),
      with(3, "64"),
      with(4, ""),
      with(4, "c2FsdA=="),  // 4 bytes of salt
      with(4, good[4] + "="),
      with(4, " " + good[4]),
      with(4, good[4].substr(0, good[4].size() - 1) + "*"),
      with(5, ""),
      with(5, "AAAA"),  // 3 bytes of hash
      with(5, good[5].substr(1)),
  };
  for (const auto& encoded : malformed) {
    EXPECT_NO_THROW(EXPECT_FALSE(verifyPassword("pw", encoded)) << encoded) << encoded;
    EXPECT_FALSE(isPasswordHash(encoded)) << encoded;
  }
  EXPECT_TRUE(isPasswordHash(join(good)));
  EXPECT_TRUE(isPasswordHash(testing::cheapPasswordHash("pw", 11, 4, 2)));
}

// Four groups of four, each character from an alphabet without 0, 1, l or o.
bool looksLikeOneTimePassword(std::string_view password) {
  constexpr std::string_view kAllowed = "23456789abcdefghijkmnpqrstuvwxyz";
  if (password.size() != 19) return false;
  for (std::size_t i = 0; i < password.size(); ++i) {
    const bool separator = i % 5 == 4;
    if (separator ? password[i] != '-' : kAllowed.find(password[i]) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

TEST(PasswordHash, OneTimePasswordsAreReadableAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto password = generateOneTimePassword();
    EXPECT_TRUE(looksLikeOneTimePassword(password)) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 50U);
}

}  // namespace
}  // namespace clubsafe::common
