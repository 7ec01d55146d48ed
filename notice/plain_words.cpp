#include "notice/plain_words.hpp"

#include "common/notice_protocol.hpp"

#include <algorithm>
#include <cctype>

namespace clubsafe::notice {
namespace {

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

std::string count(std::int64_t number, std::string_view one, std::string_view many) {
  return std::to_string(number) + " " + std::string(number == 1 ? one : many);
}

}  // namespace

std::string shortPinWords() {
  return "A staff PIN has " + std::to_string(common::notice::kMinPinLength) + " to " +
         std::to_string(common::notice::kMaxPinLength) + " digits. Please try again.";
}

std::string ageBandWords(std::string_view band) {
  const auto dash = band.find('-');
  if (dash != std::string_view::npos && allDigits(band.substr(0, dash)) &&
      allDigits(band.substr(dash + 1))) {
    return std::string(band.substr(0, dash)) + " to " + std::string(band.substr(dash + 1));
  }
  if (band.size() > 1 && band.back() == '+' && allDigits(band.substr(0, band.size() - 1))) {
    return std::string(band.substr(0, band.size() - 1)) + " or older";
  }
  return std::string(band);
}

std::string durationWords(std::int64_t minutes) {
  const auto hours = minutes / 60;
  const auto rest = minutes % 60;
  if (hours == 0) return count(rest, "minute", "minutes");
  if (rest == 0) return count(hours, "hour", "hours");
  return count(hours, "hour", "hours") + " " + count(rest, "minute", "minutes");
}

std::string indicatorWords(const SessionState& state) {
  std::string words = "Monitoring is on.";
  if (state.member) {
    words += " Signed in: " + *state.member;
    if (state.staff) {
      words += " (staff)";
    } else if (state.ageBand && !state.ageBand->empty()) {
      words += " (" + ageBandWords(*state.ageBand) + ")";
    }
  } else if (state.staff) {
    words += " Signed in: staff";
  } else {
    words += " Nobody is signed in.";
  }
  return words;
}

}  // namespace clubsafe::notice
