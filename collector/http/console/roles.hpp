#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace clubsafe::collector {

// A console user's role (console_users.role). Only managers exist for now; the DSL, youth
// workers and trustees come with the roles issue, as further values here.
enum class Role : std::uint8_t { Manager };

[[nodiscard]] std::string_view roleName(Role role);
// nullopt for a name that is no role this collector knows: such a user may call nothing.
[[nodiscard]] std::optional<Role> parseRole(std::string_view name);

// The roles a console route allows. It has no empty state: a route names at least one role,
// and a declaration that leaves its roles out does not compile (see ConsoleRoute).
class Roles {
 public:
  template <typename... More>
  explicit Roles(Role first, More... more) : bits_((bit(first) | ... | bit(more))) {}
  // Routes every signed-in user needs whatever their role: their own session and password.
  [[nodiscard]] static Roles everyone() { return Roles(Role::Manager); }

  [[nodiscard]] bool allows(Role role) const { return (bits_ & bit(role)) != 0; }
  // Deny by default: a role name this collector does not know is allowed nothing.
  [[nodiscard]] bool allows(std::string_view roleName) const;

 private:
  static constexpr std::uint32_t bit(Role role) { return 1U << static_cast<unsigned>(role); }
  std::uint32_t bits_;
};

// Who may call a route under /api/console/, as the route declares it. Router::add refuses a
// console route without one, so the collector does not start with an undeclared route; the
// router hands the declaration to the handler with the request (Request::access), and the
// console's guard checks the signed-in user's role against it.
class RouteAccess {
 public:
  // Anyone, signed in or not: the sign-in call alone.
  [[nodiscard]] static RouteAccess anyone() { return RouteAccess(std::nullopt); }
  [[nodiscard]] static RouteAccess only(Roles roles) { return RouteAccess(roles); }

  [[nodiscard]] bool allows(std::string_view roleName) const {
    return !roles_ || roles_->allows(roleName);
  }

 private:
  explicit RouteAccess(std::optional<Roles> roles) : roles_(roles) {}
  std::optional<Roles> roles_;
};

}  // namespace clubsafe::collector
