#include "collector/http/console/member_routes.hpp"

#include "collector/http/console/console_http.hpp"
#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"
#include "common/policy.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::collector {

void MemberRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  const auto keepers = Roles(Role::Manager, Role::Worker);
  routes.add({.method = "GET",
              .path = "members",
              .roles = keepers,
              .access = Read,
              .handler = handlerOf(this, &MemberRoutes::list)});
  routes.add({.method = "POST",
              .path = "members",
              .roles = keepers,
              .access = Change,
              .handler = handlerOf(this, &MemberRoutes::add)});
  routes.add({.method = "POST",
              .path = "members/{}/delete",
              .roles = keepers,
              .access = Change,
              .handler = handlerOf(this, &MemberRoutes::remove)});
}

void MemberRoutes::list(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr members = new Poco::JSON::Array;
  for (const auto& member : store_.listMembers()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", member.id);
    json->set("name", member.name);
    json->set("age_band", member.ageBand);
    json->set("created_at", common::formatTimestamp(member.createdAt));
    json->set("created_by", member.createdBy);
    members->add(json);
  }
  // The bands a member can be given, youngest first as the laptops list them.
  Poco::JSON::Array::Ptr ageBands = new Poco::JSON::Array;
  for (const auto& band : common::memberAgeBands(store_.listFilterProfiles())) ageBands->add(band);
  Poco::JSON::Object answer;
  answer.set("policy_version", store_.currentPolicy().version);
  answer.set("members", members);
  answer.set("age_bands", ageBands);
  sendJson(request.response, 200, answer);
}

void MemberRoutes::add(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto name = requireString(*body, "name", 200);
  const auto ageBand = requireString(*body, "age_band", 40);
  std::int64_t id = 0;
  applyFilteringChange(
      [&] { id = filtering_.addMember(name, ageBand, changeAuthor(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("policy_version", store_.currentPolicy().version);
  sendJson(request.response, 201, answer);
}

void MemberRoutes::remove(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { filtering_.deleteMember(id, changeAuthor(*body, session)); });
  sendPolicyVersion(store_, request, 200);
}

}  // namespace clubsafe::collector
