#include "common/time.hpp"

#include <gtest/gtest.h>

namespace clubsafe::common {
namespace {

TEST(Time, FormatsUtcWithMilliseconds) {
  const Timestamp epoch{};
  EXPECT_EQ(formatTimestamp(epoch), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTimestamp(epoch + std::chrono::milliseconds(1'732'478'230'007)),
            "2024-11-24T19:57:10.007Z");
}

TEST(Time, ParsesWhatItFormats) {
  const auto now = nowUtc();
  EXPECT_EQ(parseTimestamp(formatTimestamp(now)), now);
  EXPECT_EQ(parseTimestamp("2024-02-29T23:59:59Z"), parseTimestamp("2024-02-29T23:59:59.000Z"));
}

TEST(Time, RefusesAnythingElse) {
  for (const auto* text : {"", "2024-11-24", "2024-11-24T19:57:10", "2024-11-24T19:57:10.1Z",
                           "2024-11-24 19:57:10.000Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                           "2024-11-24T24:00:00Z", "2024-11-24T19:60:00Z", "2024-11-24T19:57:10+01:00",
                           "+024-11-24T19:57:10Z", "2024-11-24T19:57:1xZ"}) {
    EXPECT_FALSE(parseTimestamp(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace clubsafe::common
