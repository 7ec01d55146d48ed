#pragma once

#include <span>
#include <string_view>

namespace clubsafe::common {

// What a filter category is called, for each kind of reader. The ids are those of the domain
// index: UT1's (several French: agressif, drogue, publicite, tricheur), the English aliases a
// club may import UT1 lists under, the IWF and terrorism lists, and the profile's own reasons
// ("closed", "block_list"). Ids stay as they are in lists and policies; only what people read
// changes.
struct CategoryText {
  std::string_view id;
  std::string_view name;         // the console's name, for a UK youth-work manager
  std::string_view description;  // one line on the console saying what the lists hold
  std::string_view childWords;   // why a young person was stopped: "The reason: <childWords>."
};

// The entry for `id`, or nullptr for an id the catalogue does not know (a club's own category).
[[nodiscard]] const CategoryText* findCategory(std::string_view id) noexcept;

[[nodiscard]] std::span<const CategoryText> categoryCatalogue() noexcept;

}  // namespace clubsafe::common
