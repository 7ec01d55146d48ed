#include "agent/dns/rebinding.hpp"

#include <algorithm>
#include <array>

namespace clubsafe::agent::dns {

bool isLocalAddress(std::span<const std::uint8_t, 4> a) noexcept {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
         (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254);
}

bool isLocalAddress(std::span<const std::uint8_t, 16> a) noexcept {
  const auto zeros = [&a](std::size_t count) {
    return std::all_of(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(count),
                       [](std::uint8_t byte) { return byte == 0; });
  };
  if (zeros(15) && a[15] <= 1) return true;                // :: and ::1
  if ((a[0] & 0xfe) == 0xfc) return true;                  // fc00::/7
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;  // fe80::/10
  if (zeros(10) && a[10] == 0xff && a[11] == 0xff) return isLocalAddress(a.subspan<12, 4>());
  return false;
}

bool pointsInward(Bytes answer) noexcept {
  if (answer.size() < kHeaderSize) return true;
  std::size_t offset = kHeaderSize;
  for (std::uint16_t i = 0, questions = readU16(answer, 4); i < questions; ++i) {
    if (!NameReader::read(answer, offset, nullptr, offset, false)) return true;
    offset += 4;
    if (offset > answer.size()) return true;
  }
  const std::size_t records =
      std::size_t{readU16(answer, 6)} + readU16(answer, 8) + readU16(answer, 10);
  for (std::size_t i = 0; i < records; ++i) {
    std::uint16_t type = 0;
    std::size_t rdata = 0;
    const auto end = skipRecord(answer, offset, &type, nullptr, &rdata);
    if (end == 0) return true;
    const auto data = answer.subspan(rdata, end - rdata);
    if (type == rrtype::kA && data.size() == 4 && isLocalAddress(data.first<4>())) return true;
    if (type == rrtype::kAaaa && data.size() == 16 && isLocalAddress(data.first<16>())) {
      return true;
    }
    offset = end;
  }
  return false;
}

}  // namespace clubsafe::agent::dns
