#include "agent/notices/category_words.hpp"

#include "common/category_catalogue.hpp"

namespace clubsafe::agent::notices {

std::string_view categoryWords(std::string_view category) noexcept {
  const auto* entry = common::findCategory(category);
  return entry == nullptr || entry->childWords.empty() ? kUnknownCategoryWords : entry->childWords;
}

}  // namespace clubsafe::agent::notices
