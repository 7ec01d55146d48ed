#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace clubsafe::common::domain_index {

// Longest name we accept, in presentation form without the trailing dot (RFC 1035).
inline constexpr std::size_t kMaxNameLength = 253;
inline constexpr std::size_t kMaxLabelLength = 63;
// Labels of one byte and the dots between them.
inline constexpr std::size_t kMaxLabels = (kMaxNameLength + 1) / 2;

// Why a name was refused. Importers count these per reason; lookups treat every refusal as
// "not listed".
enum class NameProblem {
  None,
  Empty,
  InvalidCharacter,
  EmptyLabel,
  LabelTooLong,
  NameTooLong,
  IpAddress,
  UrlWithPath,
};

[[nodiscard]] std::string_view describe(NameProblem problem);

// A name in canonical form: lower-case ASCII letters, digits, '-' and '_' in labels of 1 to 63
// bytes separated by single dots, no trailing dot, at most 253 bytes. Kept in a fixed buffer so
// the DNS path can normalise a query name without touching the heap.
class NormalisedName {
 public:
  [[nodiscard]] std::string_view view() const { return {buffer_.data(), length_}; }
  [[nodiscard]] NameProblem problem() const { return problem_; }
  [[nodiscard]] bool ok() const { return problem_ == NameProblem::None; }

  // Lower-cases `input`, removes one trailing dot and checks it. Never throws or allocates.
  [[nodiscard]] static NormalisedName from(std::string_view input) noexcept;

 private:
  // Only the first length_ bytes are ever read; not clearing the rest saves time per query.
  std::array<char, kMaxNameLength + 1> buffer_;
  std::size_t length_ = 0;
  NameProblem problem_ = NameProblem::Empty;
};

}  // namespace clubsafe::common::domain_index
