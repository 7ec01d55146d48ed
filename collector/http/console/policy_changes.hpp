#pragma once

#include "collector/auth/console_auth.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "collector/http/router.hpp"
#include "collector/storage/filtering_store.hpp"

#include <Poco/JSON/Object.h>

#include <functional>

namespace clubsafe::collector {

// What the console's filtering, notice and worker changes share: each goes through the
// FilteringService, which writes a new policy version with its audit row.

// Runs a change, turning the service's refusal into the answer the console shows (400, 404
// for an unknown item, 409 for a taken id).
void applyFilteringChange(const std::function<void()>& change);

// Who makes the change and why (the body's "reason").
[[nodiscard]] ChangeAuthor changeAuthor(const Poco::JSON::Object& body,
                                        const AuthenticatedSession& session);

// Answers a change with the policy version it made: {policy_version}.
void sendPolicyVersion(FilteringStore& store, Request& request, int status);

}  // namespace clubsafe::collector
