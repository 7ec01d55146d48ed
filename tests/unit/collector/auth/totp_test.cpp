// RFC 6238 and RFC 4226 against their own test vectors, and the window around now.
#include "collector/auth/totp.hpp"

#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace clubsafe::collector::totp {
namespace {

using namespace std::chrono_literals;

// The key of both RFCs' SHA-1 vectors.
const std::string kRfcKey = "12345678901234567890";

Timestamp unixSeconds(std::int64_t seconds) {
  return Timestamp(std::chrono::seconds(seconds));
}

TEST(Totp, Rfc6238AppendixBSha1VectorsAtEightDigits) {
  const std::vector<std::pair<std::int64_t, std::string>> vectors = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [seconds, code] : vectors) {
    EXPECT_EQ(codeAt(kRfcKey, unixSeconds(seconds), 8), code) << "T = " << seconds;
  }
}

TEST(Totp, Rfc4226AppendixDHotpValuesAtSixDigits) {
  const std::vector<std::string> expected = {"755224", "287082", "359152", "969429", "338314",
                                             "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
    EXPECT_EQ(hotp(kRfcKey, counter, 6), expected.at(counter)) << "counter " << counter;
  }
}

TEST(Totp, StepsAreThirtySecondsSinceTheEpoch) {
  EXPECT_EQ(stepAt(unixSeconds(59)), 1);
  EXPECT_EQ(stepAt(unixSeconds(60)), 2);
  EXPECT_EQ(stepAt(unixSeconds(1111111109)), 37037036);
}

TEST(Totp, Base32IsRfc4648WithoutPadding) {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "MY"},
                                                                    {"fo", "MZXQ"},
                                                                    {"foo", "MZXW6"},
                                                                    {"foob", "MZXW6YQ"},
                                                                    {"fooba", "MZXW6YTB"},
                                                                    {"foobar", "MZXW6YTBOI"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base32Encode(bytes), text);
    EXPECT_EQ(base32Decode(text), bytes);
  }
  // As people type it from the screen.
  EXPECT_EQ(base32Decode("mzxw 6ytb oi=="), "foobar");
  EXPECT_FALSE(base32Decode("MZXW1").has_value());  // 1 is no base32 digit
  EXPECT_FALSE(base32Decode("MZ<script>").has_value());
}

TEST(Totp, SecretsAre160RandomBits) {
  const auto first = newSecret();
  EXPECT_EQ(first.size(), 20U);
  EXPECT_NE(first, newSecret());
  EXPECT_EQ(base32Encode(first).size(), 32U);
}

TEST(Totp, CodesOfOneStepEitherSideAreAcceptedAndNoFurther) {
  const auto now = unixSeconds(1'800'000'015);
  const auto step = stepAt(now);
  EXPECT_EQ(matchingStep(kRfcKey, codeAt(kRfcKey, now), now), step);
  EXPECT_EQ(matchingStep(kRfcKey, codeAt(kRfcKey, now - 30s), now), step - 1);
  EXPECT_EQ(matchingStep(kRfcKey, codeAt(kRfcKey, now + 30s), now), step + 1);
  EXPECT_FALSE(matchingStep(kRfcKey, codeAt(kRfcKey, now - 60s), now).has_value());
  EXPECT_FALSE(matchingStep(kRfcKey, codeAt(kRfcKey, now + 60s), now).has_value());
  EXPECT_FALSE(matchingStep("another key of twenty", codeAt(kRfcKey, now), now).has_value());
}

TEST(Totp, ACodeOfTheWrongLengthOrNotDigitsMatchesNothing) {
  const auto now = unixSeconds(1'800'000'015);
  const auto code = codeAt(kRfcKey, now);
  EXPECT_FALSE(matchingStep(kRfcKey, code.substr(1), now).has_value());
  EXPECT_FALSE(matchingStep(kRfcKey, code + "0", now).has_value());
  EXPECT_FALSE(matchingStep(kRfcKey, "", now).has_value());
  EXPECT_FALSE(matchingStep(kRfcKey, "abcdef", now).has_value());
}

TEST(Totp, OtpauthUriNamesIssuerAccountAndParameters) {
  EXPECT_EQ(otpauthUri("ClubSafe", "dee smith", "MZXW6YTBOI"),
            "otpauth://totp/ClubSafe:dee%20smith?secret=MZXW6YTBOI&issuer=ClubSafe"
            "&algorithm=SHA1&digits=6&period=30");
  // A colon or ampersand in a user name cannot add a parameter or change the issuer.
  EXPECT_EQ(otpauthUri("ClubSafe", "a:b&secret=x", "MY"),
            "otpauth://totp/ClubSafe:a%3Ab%26secret%3Dx?secret=MY&issuer=ClubSafe"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace clubsafe::collector::totp
