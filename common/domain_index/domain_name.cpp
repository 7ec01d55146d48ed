#include "common/domain_index/domain_name.hpp"

namespace clubsafe::common::domain_index {
namespace {

// Four all-digit labels: an IPv4 literal, which a DNS filter cannot block by name.
bool isIpv4Literal(std::string_view name) {
  int labels = 1;
  for (const char c : name) {
    if (c == '.') {
      ++labels;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return labels == 4;
}

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
  std::size_t labelLength = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    char c = input[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '.') {
      if (labelLength == 0) {
        name.problem_ = NameProblem::EmptyLabel;
        return name;
      }
      labelLength = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      if (++labelLength > kMaxLabelLength) {
        name.problem_ = NameProblem::LabelTooLong;
        return name;
      }
    } else {
      name.problem_ = (c == '/' || c == ':' || c == '?') ? NameProblem::UrlWithPath
                                                         : NameProblem::InvalidCharacter;
      return name;
    }
    name.buffer_[i] = c;
  }
  if (labelLength == 0) {
    name.problem_ = NameProblem::EmptyLabel;
    return name;
  }
  name.length_ = input.size();
  name.problem_ = isIpv4Literal(name.view()) ? NameProblem::IpAddress : NameProblem::None;
  if (!name.ok()) name.length_ = 0;
  return name;
}

}  // namespace clubsafe::common::domain_index
