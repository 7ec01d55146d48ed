#include "collector/http/console/roles.hpp"

#include <array>

namespace clubsafe::collector {
namespace {

constexpr std::array kAllRoles{Role::Manager};

}  // namespace

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Manager:
      return "manager";
  }
  return "unknown";
}

std::optional<Role> parseRole(std::string_view name) {
  for (const auto role : kAllRoles) {
    if (roleName(role) == name) return role;
  }
  return std::nullopt;
}

bool Roles::allows(std::string_view name) const {
  const auto role = parseRole(name);
  return role && allows(*role);
}

}  // namespace clubsafe::collector
