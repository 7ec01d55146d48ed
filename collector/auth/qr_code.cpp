#include "collector/auth/qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace clubsafe::collector {

QrCode encodeQrCode(std::string_view text) {
  const std::string terminated(text);  // libqrencode reads a C string
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(terminated.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) throw std::runtime_error("The text is too long for a QR code.");
  QrCode result{.size = code->width, .rows = {}};
  const auto width = static_cast<std::size_t>(code->width);
  result.rows.reserve(width);
  for (std::size_t y = 0; y < width; ++y) {
    std::string row(width, '0');
    for (std::size_t x = 0; x < width; ++x) {
      if ((code->data[y * width + x] & 1U) != 0) row[x] = '1';  // bit 0: dark
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

}  // namespace clubsafe::collector
