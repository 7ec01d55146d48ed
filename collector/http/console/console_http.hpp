#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/audit_log.hpp"

#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <optional>
#include <string>

namespace clubsafe::collector {

// What several console resources share: the session cookie, path numbers, times in answers and
// the audit entries of changes.

// The session cookie's value in a request ("" when none).
[[nodiscard]] std::string sessionCookie(const ServerRequest& request);
// Sets the session cookie (HttpOnly, Secure, SameSite=Strict), or clears it.
void setSessionCookie(ServerResponse& response, const std::string& value);
void clearSessionCookie(ServerResponse& response);

// The first "{}" of the route as a positive number, or ApiError 404.
[[nodiscard]] std::int64_t idParameter(const Request& request);

// A time as the console API writes it, or null.
[[nodiscard]] Poco::Dynamic::Var optionalTime(const std::optional<Timestamp>& time);

// The audit entry of a change the signed-in user makes now.
[[nodiscard]] AuditEntry auditEntry(const AuthenticatedSession& session, const std::string& action,
                                    const std::string& target, const std::string& detail = {});

}  // namespace clubsafe::collector
