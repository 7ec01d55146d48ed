// Hosts files: "0.0.0.0 name [name...]", '#' comments. The address is not kept (a listed name
// is blocked whatever address the list gave it); the localhost block at the top of most hosts
// files is skipped.
#include "common/domain_index/list_import.hpp"

#include <array>

namespace clubsafe::common::domain_index {
namespace {

bool isAddress(std::string_view token) {
  if (token.find(':') != std::string_view::npos) return true;  // IPv6
  int dots = 0;
  for (const char c : token) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool isLocalName(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kLocalNames = {
      "localhost",     "localhost.localdomain", "local",        "broadcasthost",
      "ip6-localhost", "ip6-loopback",          "ip6-localnet", "ip6-mcastprefix",
      "ip6-allnodes",  "ip6-allrouters",        "ip6-allhosts"};
  for (const auto local : kLocalNames) {
    if (name == local) return true;
  }
  return false;
}

std::string_view nextToken(std::string_view& rest) {
  rest = trim(rest);
  const auto end = rest.find_first_of(" \t");
  const auto token = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  return token;
}

}  // namespace

void parseHostsLine(std::string_view line, LineContext& context) {
  auto rest = stripComment(line, '#');
  if (rest.empty()) {
    context.ignored();
    return;
  }
  if (!isAddress(nextToken(rest))) {
    context.bad("hosts line does not start with an IP address");
    return;
  }
  if (trim(rest).empty()) {
    context.bad("hosts line has an address but no name");
    return;
  }
  bool local = false;
  for (auto token = nextToken(rest); !token.empty(); token = nextToken(rest)) {
    if (isLocalName(token) || isAddress(token)) {
      local = true;  // "0.0.0.0 0.0.0.0" and the localhost block: nothing to block
    } else {
      context.name(token);
    }
  }
  if (local) context.ignored();
}

}  // namespace clubsafe::common::domain_index
