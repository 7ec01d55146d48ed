#include "agent/recording/text_normaliser.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::recording {
namespace {

std::string normal(std::string_view text) {
  MatchText out;
  normaliseForMatching(text, out);
  return out.text;
}

TEST(TextNormaliserTest, WordsAreLowerCaseBetweenSingleSpaces) {
  EXPECT_EQ(normal(""), " ");
  EXPECT_EQ(normal("Hello, World!"), " hello world ");
  EXPECT_EQ(normal("  how--to...REVISE\t\n"), " how to revise ");
  EXPECT_EQ(normal("https://www.example.com/how-to_kill?x=1"),
            " https w example com how to kill x 1 ");  // www: a letter three times
}

TEST(TextNormaliserTest, ApostrophesJoinAndAccentsFold) {
  EXPECT_EQ(normal("Don't"), " dont ");
  EXPECT_EQ(normal("I\xE2\x80\x99m sad"), " im sad ");  // ’
  EXPECT_EQ(normal("Caf\xC3\xA9 \xC3\x89L\xC3\x88VE Stra\xC3\x9F"
                   "e"),
            " cafe eleve strasse ");
  EXPECT_EQ(normal("a\xC3\x97"
                   "b"),
            " a b ");                                        // × separates
  EXPECT_EQ(normal("self\xE2\x80\x94harm"), " self harm ");  // em dash
  EXPECT_EQ(normal("ki\xE2\x80\x8Bll"), " kill ");           // zero-width space
  EXPECT_EQ(normal("self\xC2\xADharm"), " selfharm ");       // soft hyphen
  EXPECT_EQ(normal("non\xC2\xA0"
                   "breaking"),
            " non breaking ");  // no-break space
}

TEST(TextNormaliserTest, LatinExtendedALettersFoldForWelshAndPolish) {
  // Polish: "Chcę się zabić" (I want to kill myself), Ł and Ż in capitals.
  EXPECT_EQ(normal("Chc\xC4\x99 si\xC4\x99 zabi\xC4\x87"), " chce sie zabic ");
  EXPECT_EQ(normal("\xC5\x81\xC3\xB3"
                   "d\xC5\xBA \xC5\xBB"
                   "aba"),
            " lodz zaba ");
  // Welsh ŵ and ŷ ("dŵr", "tŷ"), and the two letters of Ĳ and œ.
  EXPECT_EQ(normal("d\xC5\xB5r t\xC5\xB7"), " dwr ty ");
  EXPECT_EQ(normal("\xC4\xB2s c\xC5\x93ur"), " ijs coeur ");
  EXPECT_EQ(normal("\xC4\x80\xC5\xBF"), " as ");  // the first and last of the block
}

TEST(TextNormaliserTest, LeetDigitsTouchingLettersBecomeLetters) {
  EXPECT_EQ(normal("K1ll mys3lf"), " kill myself ");
  EXPECT_EQ(normal("h4x0r"), " haxor ");
  EXPECT_EQ(normal("0day"), " oday ");
  EXPECT_EQ(normal("420 1 3 2024"), " 420 1 3 2024 ");  // numbers stay numbers
  EXPECT_EQ(normal("combat 18"), " combat 18 ");
}

TEST(TextNormaliserTest, SymbolsBetweenLettersAreLeet) {
  EXPECT_EQ(normal("h@te k!ll a$k"), " hate kill ask ");
  EXPECT_EQ(normal("me@example.com"), " meaexample com ");  // inside a word only
  EXPECT_EQ(normal("@home $5 help!"), " home 5 help ");
}

TEST(TextNormaliserTest, RepeatedLettersAreReadOnceFromThree) {
  EXPECT_EQ(normal("soooo saaad"), " so sad ");
  EXPECT_EQ(normal("HURTTTT meeee"), " hurt me ");
  EXPECT_EQ(normal("kill bullied good"), " kill bullied good ");  // doubled letters stay
  EXPECT_EQ(normal("1000 zzz"), " 1000 z ");                      // digits are not letters
}

TEST(TextNormaliserTest, SingleLettersWithSeparatorsJoin) {
  EXPECT_EQ(normal("k.m.s"), " kms ");
  EXPECT_EQ(normal("s-u-i-c-i-d-e now"), " suicide now ");
  EXPECT_EQ(normal("K_Y_S."), " kys ");
  EXPECT_EQ(normal("t-shirt x-ray a.bc"), " t shirt x ray a bc ");  // a word after is not joined
  EXPECT_EQ(normal("k m s"), " k m s ");                            // spaces are not separators
  EXPECT_EQ(normal("ab.c.d"), " ab cd ");                           // nor to a longer word
}

TEST(TextNormaliserTest, LookAlikeAndInvisibleCharactersAreRead) {
  EXPECT_EQ(normal("kill mys\xD0\xB5lf"), " kill myself ");              // Cyrillic е
  EXPECT_EQ(normal("\xD1\x81\xD0\xBE\xD1\x80"), " cop ");                // с о р
  EXPECT_EQ(normal("\xD0\xB4\xD0\xBE\xD0\xBC"), " \xD0\xB4o\xD0\xBC ");  // дом stays Cyrillic
  EXPECT_EQ(normal("\xEF\xBD\x8B\xEF\xBD\x89\xEF\xBD\x8C\xEF\xBD\x8C \xEF\xBC\xA1"), " kill a ");
  EXPECT_EQ(normal("ki\xE2\x80\x8Dll\xE2\x80\x8F me\xE2\x81\xA0self"), " kill meself ");
  EXPECT_EQ(normal("sui\xCC\x81"
                   "cide"),
            " suicide ");  // combining acute accent
}

TEST(TextNormaliserTest, OtherScriptsAndBadBytesStayInTheirWords) {
  EXPECT_EQ(normal("\xE6\x97\xA5\xE6\x9C\xAC kill"), " \xE6\x97\xA5\xE6\x9C\xAC kill ");
  EXPECT_EQ(normal("kill\xFF"), " kill\xFF ");
  EXPECT_EQ(normal("\xC3"), " \xC3 ");  // a truncated sequence is kept, not read past the end
  EXPECT_EQ(normal("\xE2\x80"), " \xE2\x80 ");
}

TEST(TextNormaliserTest, OriginsPointBackIntoTheInput) {
  MatchText out;
  const std::string_view input = "Caf\xC3\xA9, ok";
  normaliseForMatching(input, out);
  ASSERT_EQ(out.text, " cafe ok ");
  ASSERT_EQ(out.origin.size(), out.text.size());
  EXPECT_EQ(out.origin[1], 0U);  // c
  EXPECT_EQ(out.origin[4], 3U);  // e from the first byte of é
  EXPECT_EQ(out.origin[5], 5U);  // the space stands at the comma
  EXPECT_EQ(out.origin[6], 7U);  // o
  EXPECT_EQ(out.origin[8], input.size());
}

// The form is written into buffers sized for the input plus two spaces: letters that become two
// (ß, æ, þ, ĳ, œ) fill them exactly, with a reused output that was longer before.
TEST(TextNormaliserTest, TheFormFillsItsBufferExactlyWhenEveryLetterBecomesTwo) {
  MatchText out;
  normaliseForMatching(std::string(300, 'x'), out);
  const std::string_view input = "\xC3\x9F\xC3\xA6\xC3\xBE\xC4\xB3\xC5\x93";
  normaliseForMatching(input, out);
  EXPECT_EQ(out.text, " ssaethijoe ");
  EXPECT_EQ(out.text.size(), input.size() + 2);
  ASSERT_EQ(out.origin.size(), out.text.size());
  EXPECT_EQ(out.origin[10], 8U);  // the e of œ
  EXPECT_EQ(out.origin[11], input.size());
}

TEST(TextNormaliserTest, PhrasesKeepTheirWildcards) {
  EXPECT_EQ(normalisePhrase("Kill* myself"), " kill* myself ");
  EXPECT_EQ(normalisePhrase("*cide"), " *cide ");
  EXPECT_EQ(normalisePhrase("don't tell"), " dont tell ");
}

}  // namespace
}  // namespace clubsafe::agent::recording
