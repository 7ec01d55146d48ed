#include "agent/recording/utf8.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::recording {
namespace {

std::string clean(std::string_view text) {
  std::string out;
  appendCleanUtf8(text, out);
  return out;
}

TEST(Utf8Test, ValidTextIsKept) {
  EXPECT_EQ(clean("plain"), "plain");
  EXPECT_EQ(clean("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(clean("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");  // U+10FFFF, the last code point
}

TEST(Utf8Test, InvalidSequencesBecomeReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(clean("\x80"), r);              // stray continuation byte
  EXPECT_EQ(clean("a\xC3"), "a" + r);       // truncated at the end
  EXPECT_EQ(clean("\xC0\x80"), r);          // overlong NUL: lead and its continuation
  EXPECT_EQ(clean("\xE0\x80\x80"), r);      // overlong three-byte form
  EXPECT_EQ(clean("\xED\xA0\x80"), r);      // a surrogate
  EXPECT_EQ(clean("\xF4\x90\x80\x80"), r);  // past U+10FFFF
  EXPECT_EQ(clean("\xFF\xFEx"), r + r + "x");
  EXPECT_EQ(clean("\xE2\x82"
                  "x"),
            r + "x");  // missing its last byte
}

TEST(Utf8Test, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(clean(std::string("a\0b\tc\x7F", 6)), "a b c ");
}

TEST(Utf8Test, BoundaryBeforeNeverSplitsACharacter) {
  const std::string_view text =
      "a\xE2\x82\xAC"
      "b";  // a € b
  EXPECT_EQ(utf8BoundaryBefore(text, 0), 0U);
  EXPECT_EQ(utf8BoundaryBefore(text, 1), 1U);
  EXPECT_EQ(utf8BoundaryBefore(text, 2), 1U);
  EXPECT_EQ(utf8BoundaryBefore(text, 3), 1U);
  EXPECT_EQ(utf8BoundaryBefore(text, 4), 4U);
  EXPECT_EQ(utf8BoundaryBefore(text, 99), text.size());
  EXPECT_EQ(utf8BoundaryBefore("\x80\x80\x80\x80\x80\x80", 5), 5U);  // garbage: any cut will do
}

}  // namespace
}  // namespace clubsafe::agent::recording
