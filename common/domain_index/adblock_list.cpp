// AdBlock-style rules, only the subset a DNS filter can honour: "||name^" blocks a name and its
// subdomains, "@@||name^" allows them. Rules with options, paths, wildcards or element hiding
// are counted as unsupported, not guessed at.
#include "common/domain_index/list_import.hpp"

namespace clubsafe::common::domain_index {

void parseAdBlockLine(std::string_view line, LineContext& context) {
  auto rule = trim(line);
  if (rule.empty() || rule.front() == '!' || rule.front() == '[') {
    context.ignored();
    return;
  }
  const bool allow = rule.starts_with("@@");
  if (allow) rule.remove_prefix(2);
  if (rule.ends_with("^|")) rule.remove_suffix(1);
  if (!rule.starts_with("||") || !rule.ends_with('^')) {
    context.unsupported();
    return;
  }
  rule = rule.substr(2, rule.size() - 3);
  if (rule.find_first_of("/*^|$") != std::string_view::npos) {
    context.unsupported();
    return;
  }
  context.name(rule, allow);
}

}  // namespace clubsafe::common::domain_index
