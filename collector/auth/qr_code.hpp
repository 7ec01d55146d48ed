#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

// A QR code as its modules (libqrencode; docs/DEPENDENCIES.md): `rows[y][x]` is '1' for a dark
// module, '0' for a light one, without the quiet zone the drawing adds. The console draws it
// (two-step set-up), so the collector sends no image and no markup.
struct QrCode {
  int size = 0;  // modules a side
  std::vector<std::string> rows;
};

// Error correction level M (15% of the code can be lost), the smallest version that holds
// `text` as bytes. Throws std::runtime_error when `text` cannot be encoded (too long).
[[nodiscard]] QrCode encodeQrCode(std::string_view text);

}  // namespace clubsafe::collector
