// Plain domain lists: one name per line, '#' starts a comment.
#include "common/domain_index/list_import.hpp"

namespace clubsafe::common::domain_index {

void parsePlainLine(std::string_view line, LineContext& context) {
  const auto text = stripComment(line, '#');
  if (text.empty()) {
    context.ignored();
  } else {
    context.name(text);
  }
}

}  // namespace clubsafe::common::domain_index
