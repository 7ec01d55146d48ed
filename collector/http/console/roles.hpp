#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

// A console user's role (SPEC C4; console_user_roles). One person may hold several: in a small
// club the manager is often the DSL too.
enum class Role : std::uint8_t {
  Manager,  // runs the club's monitoring: laptops, filtering, reports, users
  Dsl,      // the Designated Safeguarding Lead: safeguarding detail is theirs alone
  Worker,   // a youth worker supervising a session: what is in use now
  Trustee,  // reads signed-off reports
};

inline constexpr std::array kAllRoles{Role::Manager, Role::Dsl, Role::Worker, Role::Trustee};

[[nodiscard]] std::string_view roleName(Role role);
// nullopt for a name that is no role this collector knows: such a role may call nothing.
[[nodiscard]] std::optional<Role> parseRole(std::string_view name);

// The roles a console route allows. It has no empty state: a route names at least one role,
// and a declaration that leaves its roles out does not compile (see ConsoleRoute).
class Roles {
 public:
  template <typename... More>
  explicit Roles(Role first, More... more) : bits_((bit(first) | ... | bit(more))) {}
  // Routes every signed-in user needs whatever their roles: their own session and password.
  [[nodiscard]] static Roles everyone() {
    return Roles(Role::Manager, Role::Dsl, Role::Worker, Role::Trustee);
  }

  [[nodiscard]] bool allows(Role role) const { return (bits_ & bit(role)) != 0; }
  // Deny by default: a role name this collector does not know is allowed nothing.
  [[nodiscard]] bool allows(std::string_view roleName) const;
  // Whether any of a user's roles is allowed.
  [[nodiscard]] bool allowsAny(std::span<const std::string> roleNames) const;
  // The roles allowed, in kAllRoles order.
  [[nodiscard]] std::vector<Role> list() const;

 private:
  static constexpr std::uint32_t bit(Role role) { return 1U << static_cast<unsigned>(role); }
  std::uint32_t bits_;
};

// Who may call a route under /api/console/, as the route declares it. Router::add refuses a
// console route without one, so the collector does not start with an undeclared route; the
// router hands the declaration to the handler with the request (Request::access), and the
// console's guard checks the signed-in user's roles against it.
class RouteAccess {
 public:
  // Anyone, signed in or not: the sign-in call alone.
  [[nodiscard]] static RouteAccess anyone() { return RouteAccess(std::nullopt); }
  [[nodiscard]] static RouteAccess only(Roles roles) { return RouteAccess(roles); }

  [[nodiscard]] bool allowsAny(std::span<const std::string> roleNames) const {
    return !roles_ || roles_->allowsAny(roleNames);
  }
  // nullopt for a route anyone may call.
  [[nodiscard]] const std::optional<Roles>& roles() const { return roles_; }

 private:
  explicit RouteAccess(std::optional<Roles> roles) : roles_(roles) {}
  std::optional<Roles> roles_;
};

}  // namespace clubsafe::collector
