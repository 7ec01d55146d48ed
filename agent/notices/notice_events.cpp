#include "agent/notices/notice_events.hpp"

#include "common/time.hpp"

namespace clubsafe::agent::notices {
namespace {

common::Event eventOf(common::EventType type, const std::string& osUser) {
  common::Event event;
  event.type = type;
  event.time = common::nowUtc();
  event.osUser = osUser;
  return event;
}

}  // namespace

common::Event noticeAcknowledgedEvent(const std::string& osUser, bool acknowledged,
                                      const std::string& noticeVersion) {
  auto event = eventOf(common::EventType::NoticeAcknowledged, osUser);
  event.payload->set("acknowledged", acknowledged);
  event.payload->set("notice_version", noticeVersion);
  return event;
}

common::Event memberSignInEvent(const std::string& osUser, const std::string& member,
                                const std::string& ageBand, const std::string& method) {
  auto event = eventOf(common::EventType::MemberSignIn, osUser);
  event.member = member;
  event.payload->set("age_band", ageBand);
  event.payload->set("method", method);
  return event;
}

common::Event memberSignOutEvent(const std::string& osUser, const std::string& member,
                                 const std::string& reason) {
  auto event = eventOf(common::EventType::MemberSignOut, osUser);
  event.member = member;
  event.payload->set("reason", reason);
  return event;
}

common::Event blockNoticeEvent(const std::string& osUser, const std::string& domain,
                               const std::string& category) {
  auto event = eventOf(common::EventType::BlockNotice, osUser);
  event.payload->set("domain", domain);
  event.payload->set("category", category);
  return event;
}

common::Event reviewRequestEvent(const std::string& osUser, const std::string& domain,
                                 const std::string& category, const std::string& message) {
  auto event = eventOf(common::EventType::ReviewRequest, osUser);
  event.payload->set("domain", domain);
  event.payload->set("category", category);
  if (!message.empty()) event.payload->set("message", message);
  return event;
}

common::Event worryReportEvent(const std::string& osUser, const std::string& about,
                               const std::string& message) {
  auto event = eventOf(common::EventType::WorryReport, osUser);
  event.payload->set("about", about);
  event.payload->set("message", message);
  return event;
}

common::Event overrideEvent(const std::string& osUser, const std::string& scope,
                            const std::string& target, std::int64_t minutes,
                            const std::string& reason, const std::string& worker) {
  auto event = eventOf(common::EventType::Override, osUser);
  event.payload->set("scope", scope);
  event.payload->set("target", target);
  event.payload->set("minutes", minutes);
  event.payload->set("reason", reason);
  event.payload->set("worker", worker);
  return event;
}

}  // namespace clubsafe::agent::notices
