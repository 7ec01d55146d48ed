#pragma once

#include <string_view>

namespace clubsafe::agent::notices {

// Why something was blocked, in words a 10-year-old understands, for the block notification and
// the block page: from a category name of the index (UT1's names, and the IWF and terrorism
// lists a club imports) or a reason of the profile's own rules ("closed", "block_list", see
// dns::reasonCategoryName). A name the table lacks gets kUnknownCategoryWords.
[[nodiscard]] std::string_view categoryWords(std::string_view category) noexcept;

inline constexpr std::string_view kUnknownCategoryWords = "a kind of site the club has blocked";

}  // namespace clubsafe::agent::notices
