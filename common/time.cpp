#include "common/time.hpp"

#include <charconv>
#include <cstdio>

namespace clubsafe::common {
namespace {

bool readNumber(std::string_view text, std::size_t pos, std::size_t digits, int& out) {
  if (pos + digits > text.size()) return false;
  const char* first = text.data() + pos;
  const char* last = first + digits;
  for (const char* c = first; c != last; ++c) {
    if (*c < '0' || *c > '9') return false;
  }
  return std::from_chars(first, last, out).ptr == last;
}

}  // namespace

Timestamp nowUtc() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string formatTimestamp(Timestamp time) {
  using namespace std::chrono;
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), int(clock.hours().count()),
                int(clock.minutes().count()), int(clock.seconds().count()),
                int(clock.subseconds().count()));
  return buffer;
}

std::optional<Timestamp> parseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.mmm]Z
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (!readNumber(text, 0, 4, y) || text[4] != '-' || !readNumber(text, 5, 2, mo) ||
      text[7] != '-' || !readNumber(text, 8, 2, d) || text[10] != 'T' ||
      !readNumber(text, 11, 2, h) || text[13] != ':' || !readNumber(text, 14, 2, mi) ||
      text[16] != ':' || !readNumber(text, 17, 2, s)) {
    return std::nullopt;
  }
  if (text.size() == 24) {
    if (text[19] != '.' || !readNumber(text, 20, 3, ms) || text[23] != 'Z') return std::nullopt;
  } else if (text[19] != 'Z') {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return sys_days{date} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

}  // namespace clubsafe::common
