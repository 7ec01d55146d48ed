#include "collector/http/console/policy_changes.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"

namespace clubsafe::collector {
namespace {

int statusFor(FilteringError::Kind kind) {
  switch (kind) {
    case FilteringError::Kind::NotFound:
      return 404;
    case FilteringError::Kind::Conflict:
      return 409;
    case FilteringError::Kind::Invalid:
      break;
  }
  return 400;
}

}  // namespace

void applyFilteringChange(const std::function<void()>& change) {
  try {
    change();
  } catch (const FilteringError& error) {
    throw ApiError(statusFor(error.kind()), error.what());
  }
}

ChangeAuthor changeAuthor(const Poco::JSON::Object& body, const AuthenticatedSession& session) {
  return {session.user.username, optionalString(body, "reason", kMaxReasonLength)};
}

void sendPolicyVersion(FilteringStore& store, Request& request, int status) {
  Poco::JSON::Object answer;
  answer.set("policy_version", store.currentPolicy().version);
  sendJson(request.response, status, answer);
}

}  // namespace clubsafe::collector
