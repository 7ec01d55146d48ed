#include "collector/http/console/notice_routes.hpp"

#include "collector/http/console/policy_changes.hpp"
#include "collector/http/json_io.hpp"

namespace clubsafe::collector {
namespace {

// 20 paragraphs of 600 bytes, with room for JSON's escapes.
constexpr std::size_t kMaxNoticeBodyBytes = 64 * 1024;

}  // namespace

void NoticeRoutes::addTo(ConsoleRoutes& routes) {
  using enum Access;
  routes.add({.method = "GET",
              .path = "notice",
              .roles = Roles(Role::Manager),
              .access = Read,
              .handler = handlerOf(this, &NoticeRoutes::show)});
  routes.add({.method = "POST",
              .path = "notice",
              .roles = Roles(Role::Manager),
              .access = Change,
              .handler = handlerOf(this, &NoticeRoutes::save),
              .maxBodyBytes = kMaxNoticeBodyBytes});
}

void NoticeRoutes::show(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Object answer;
  answer.set("policy_version", store_.currentPolicy().version);
  const auto notice = store_.noticeText();
  answer.set("notice",
             notice ? Poco::Dynamic::Var(common::noticeToJson(*notice)) : Poco::Dynamic::Var());
  sendJson(request.response, 200, answer);
}

void NoticeRoutes::save(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  // Lengths are checked by the policy's rules, which name the field; these only bound the read.
  const common::NoticeText notice{.clubName = requireString(*body, "club_name", 1000),
                                  .paragraphs = requireStrings(*body, "paragraphs", 4000),
                                  .policyUrl = optionalString(*body, "policy_url", 1000),
                                  .version = {}};
  applyFilteringChange([&] { filtering_.saveNotice(notice, changeAuthor(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("policy_version", store_.currentPolicy().version);
  answer.set("version", common::noticeVersion(notice));
  sendJson(request.response, 200, answer);
}

}  // namespace clubsafe::collector
