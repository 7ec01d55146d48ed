#include "notice/plain_words.hpp"

#include <gtest/gtest.h>

namespace clubsafe::notice {
namespace {

TEST(PlainWordsTest, AgeBandsReadAsWords) {
  EXPECT_EQ(ageBandWords("8-12"), "8 to 12");
  EXPECT_EQ(ageBandWords("13-17"), "13 to 17");
  EXPECT_EQ(ageBandWords("18+"), "18 or older");
  // Anything else is shown as the club wrote it.
  EXPECT_EQ(ageBandWords("seniors"), "seniors");
  EXPECT_EQ(ageBandWords("-12"), "-12");
  EXPECT_EQ(ageBandWords("8-"), "8-");
  EXPECT_EQ(ageBandWords("+"), "+");
  EXPECT_EQ(ageBandWords(""), "");
}

TEST(PlainWordsTest, DurationsInHoursAndMinutes) {
  EXPECT_EQ(durationWords(1), "1 minute");
  EXPECT_EQ(durationWords(15), "15 minutes");
  EXPECT_EQ(durationWords(60), "1 hour");
  EXPECT_EQ(durationWords(90), "1 hour 30 minutes");
  EXPECT_EQ(durationWords(240), "4 hours");
}

TEST(PlainWordsTest, AShortPinSaysHowLongOneIs) {
  EXPECT_EQ(shortPinWords(), "A staff PIN has 6 to 12 digits. Please try again.");
}

TEST(PlainWordsTest, IndicatorSaysWhoIsSignedIn) {
  SessionState state;
  EXPECT_EQ(indicatorWords(state), "Monitoring is on. Nobody is signed in.");
  state.member = "Sam";
  state.ageBand = "10-12";
  EXPECT_EQ(indicatorWords(state), "Monitoring is on. Signed in: Sam (10 to 12)");
  state.staff = true;
  state.member = "Jo";
  state.ageBand = "staff";
  EXPECT_EQ(indicatorWords(state), "Monitoring is on. Signed in: Jo (staff)");
}

}  // namespace
}  // namespace clubsafe::notice
