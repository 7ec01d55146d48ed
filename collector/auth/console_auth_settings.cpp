#include "collector/auth/console_auth_settings.hpp"

#include "collector/http/console/roles.hpp"

#include <Poco/StringTokenizer.h>

#include <string>

namespace clubsafe::collector {
namespace {

std::int64_t integerWithin(const common::Settings& settings, std::string_view key,
                           std::int64_t lowest, std::int64_t highest) {
  const auto value = settings.integer(key);
  if (value < lowest || value > highest) {
    throw common::SettingsError("Setting \"" + std::string(key) + "\" is " + std::to_string(value) +
                                " but must be from " + std::to_string(lowest) + " to " +
                                std::to_string(highest) + ".");
  }
  return value;
}

std::chrono::seconds wholeSeconds(const common::Settings& settings, std::string_view key) {
  return std::chrono::duration_cast<std::chrono::seconds>(settings.duration(key));
}

// auth.require_totp_for: role names, each one this collector knows.
std::vector<std::string> rolesRequiringTotp(const common::Settings& settings) {
  const auto listed = settings.text("auth.require_totp_for");
  Poco::StringTokenizer names(
      listed, ",", Poco::StringTokenizer::TOK_IGNORE_EMPTY | Poco::StringTokenizer::TOK_TRIM);
  std::vector<std::string> roles;
  for (const auto& name : names) {
    if (!parseRole(name)) {
      throw common::SettingsError("Setting \"auth.require_totp_for\" names \"" + name +
                                  "\", which is no role: use manager, dsl, worker or trustee, "
                                  "separated by commas.");
    }
    roles.push_back(name);
  }
  return roles;
}

}  // namespace

ConsoleAuthSettings readConsoleAuthSettings(const common::Settings& settings) {
  constexpr std::int64_t kMostAttempts = 10'000;
  ConsoleAuthSettings auth;
  auth.lockoutFailures = static_cast<int>(settings.integer("auth.lockout_failures"));
  auth.lockoutDuration = wholeSeconds(settings, "auth.lockout_duration");
  auth.sessionIdleTimeout = wholeSeconds(settings, "auth.session_idle_timeout");
  auth.sessionMaxAge = wholeSeconds(settings, "auth.session_max_age");
  // Each check holds 32 MiB: 64 of them is 2 GiB, more than a club's server should give.
  auth.maxConcurrentPasswordChecks = static_cast<std::size_t>(
      integerWithin(settings, "auth.max_concurrent_password_checks", 1, 64));
  auth.passwordCheckWait = settings.duration("auth.password_check_wait");
  if (auth.passwordCheckWait < std::chrono::milliseconds::zero() ||
      auth.passwordCheckWait > std::chrono::minutes(1)) {
    throw common::SettingsError(
        "Setting \"auth.password_check_wait\" must be from 0 to 60 seconds: a sign-in waiting "
        "longer holds a server thread that laptops need.");
  }
  auth.signInThrottle.attemptsPerMinute = static_cast<int>(
      integerWithin(settings, "auth.sign_in_attempts_per_minute", 1, kMostAttempts));
  auth.signInThrottle.burst =
      static_cast<int>(integerWithin(settings, "auth.sign_in_burst", 1, kMostAttempts));
  auth.signInThrottle.trackedAddresses = static_cast<std::size_t>(
      integerWithin(settings, "auth.sign_in_tracked_addresses", 1, 10'000'000));
  auth.requireTotpFor = rolesRequiringTotp(settings);
  return auth;
}

}  // namespace clubsafe::collector
