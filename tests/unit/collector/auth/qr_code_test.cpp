// The QR code's modules as libqrencode makes them: the shape every reader looks for. That a
// reader gets the text back is shown in Chromium (tests/browser/two_step.test.mjs, jsQR).
#include "collector/auth/qr_code.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace clubsafe::collector {
namespace {

constexpr const char* kUri =
    "otpauth://totp/ClubSafe:manager?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ClubSafe";

// The 7x7 finder pattern whose top-left module is at (x, y).
void expectFinderAt(const QrCode& code, int x, int y) {
  static const char* const kFinder[7] = {"1111111", "1000001", "1011101", "1011101",
                                         "1011101", "1000001", "1111111"};
  for (int row = 0; row < 7; ++row) {
    EXPECT_EQ(
        code.rows.at(static_cast<std::size_t>(y + row)).substr(static_cast<std::size_t>(x), 7),
        kFinder[row])
        << "finder at " << x << "," << y << ", row " << row;
  }
}

TEST(QrCodeTest, AnOtpAuthAddressGivesASquareCodeWithItsFinderAndTimingPatterns) {
  const auto code = encodeQrCode(kUri);
  ASSERT_GE(code.size, 21);
  EXPECT_EQ((code.size - 17) % 4, 0) << "17 + 4 × version modules a side";
  ASSERT_EQ(code.rows.size(), static_cast<std::size_t>(code.size));
  for (const auto& row : code.rows) {
    ASSERT_EQ(row.size(), static_cast<std::size_t>(code.size));
    EXPECT_EQ(row.find_first_not_of("01"), std::string::npos);
  }
  expectFinderAt(code, 0, 0);
  expectFinderAt(code, code.size - 7, 0);
  expectFinderAt(code, 0, code.size - 7);
  for (int i = 8; i < code.size - 8; ++i) {  // the timing patterns alternate, dark first
    const char expected = i % 2 == 0 ? '1' : '0';
    EXPECT_EQ(code.rows[6][static_cast<std::size_t>(i)], expected) << "row 6, column " << i;
    EXPECT_EQ(code.rows[static_cast<std::size_t>(i)][6], expected) << "column 6, row " << i;
  }
}

TEST(QrCodeTest, AnotherTextGivesAnotherCodeAndTheSameTextTheSame) {
  EXPECT_EQ(encodeQrCode(kUri).rows, encodeQrCode(kUri).rows);
  EXPECT_NE(encodeQrCode(kUri).rows, encodeQrCode(std::string(kUri) + "x").rows);
}

TEST(QrCodeTest, TextTooLongForAnyVersionIsRefused) {
  EXPECT_THROW((void)encodeQrCode(std::string(4000, 'a')), std::runtime_error);
}

}  // namespace
}  // namespace clubsafe::collector
