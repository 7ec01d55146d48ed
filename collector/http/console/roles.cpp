#include "collector/http/console/roles.hpp"

#include <algorithm>

namespace clubsafe::collector {

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Manager:
      return "manager";
    case Role::Dsl:
      return "dsl";
    case Role::Worker:
      return "worker";
    case Role::Trustee:
      return "trustee";
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

bool Roles::allowsAny(std::span<const std::string> roleNames) const {
  return std::ranges::any_of(roleNames, [this](const std::string& name) { return allows(name); });
}

std::vector<Role> Roles::list() const {
  std::vector<Role> roles;
  std::ranges::copy_if(kAllRoles, std::back_inserter(roles),
                       [this](Role role) { return allows(role); });
  return roles;
}

}  // namespace clubsafe::collector
