#include "common/domain_index/domain_name.hpp"

#include <array>

namespace clubsafe::common::domain_index {
namespace {

// Each byte's canonical form: lower case for letters, itself for digits, '-', '_' and '.', and 0
// for every byte a name may not hold. One table look-up per byte on the DNS path.
constexpr std::array<char, 256> kCanonical = [] {
  std::array<char, 256> table{};
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (char c = 'A'; c <= 'Z'; ++c)
    table[static_cast<unsigned char>(c)] = static_cast<char>(c - 'A' + 'a');
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = c;
  for (const char c : {'-', '_', '.'}) table[static_cast<unsigned char>(c)] = c;
  return table;
}();

}  // namespace

std::string_view describe(NameProblem problem) {
  switch (problem) {
    case NameProblem::None:
      return "valid";
    case NameProblem::Empty:
      return "empty name";
    case NameProblem::InvalidCharacter:
      return "invalid character in name";
    case NameProblem::EmptyLabel:
      return "empty label (leading, trailing or double dot)";
    case NameProblem::LabelTooLong:
      return "label longer than 63 bytes";
    case NameProblem::NameTooLong:
      return "name longer than 253 bytes";
    case NameProblem::IpAddress:
      return "IP address, not a domain name";
    case NameProblem::UrlWithPath:
      return "URL or path, not a domain name";
  }
  return "unknown problem";
}

NormalisedName NormalisedName::from(std::string_view input) noexcept {
  NormalisedName name;
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  if (input.empty()) return name;
  if (input.size() > kMaxNameLength) {
    name.problem_ = NameProblem::NameTooLong;
    return name;
  }
  const auto labelProblem = [](std::size_t length) {
    return length == 0                ? NameProblem::EmptyLabel
           : length > kMaxLabelLength ? NameProblem::LabelTooLong
                                      : NameProblem::None;
  };
  std::size_t labelStart = 0;
  std::size_t labels = 1;
  bool digitsOnly = true;  // with four labels: an IPv4 literal, which no DNS filter can block
  for (std::size_t i = 0; i < input.size(); ++i) {
    const char c = kCanonical[static_cast<unsigned char>(input[i])];
    name.buffer_[i] = c;
    if (c == '.') {
      name.problem_ = labelProblem(i - labelStart);
      if (!name.ok()) return name;
      labelStart = i + 1;
      ++labels;
    } else if (c == 0) {
      const char raw = input[i];
      name.problem_ = (raw == '/' || raw == ':' || raw == '?') ? NameProblem::UrlWithPath
                                                               : NameProblem::InvalidCharacter;
      return name;
    } else {
      digitsOnly = digitsOnly && c >= '0' && c <= '9';
    }
  }
  name.problem_ = labelProblem(input.size() - labelStart);
  if (name.ok() && labels == 4 && digitsOnly) name.problem_ = NameProblem::IpAddress;
  if (name.ok()) name.length_ = input.size();
  return name;
}

}  // namespace clubsafe::common::domain_index
