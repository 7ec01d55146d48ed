#include "notice/agent_messages.hpp"

#include <Poco/JSON/Array.h>

namespace clubsafe::notice {
namespace {

std::vector<std::string> strings(const Poco::JSON::Object& object, const std::string& key) {
  std::vector<std::string> values;
  const auto array = object.getArray(key);
  if (array.isNull()) return values;
  for (std::size_t i = 0; i < array->size(); ++i)
    values.push_back(array->getElement<std::string>(i));
  return values;
}

std::optional<std::string> optionalString(const Poco::JSON::Object& object,
                                          const std::string& key) {
  if (!object.has(key)) return std::nullopt;
  return object.getValue<std::string>(key);
}

}  // namespace

NoticeText noticeTextFrom(const Poco::JSON::Object& notice) {
  return {notice.getValue<std::string>("club_name"), strings(notice, "paragraphs"),
          notice.getValue<std::string>("policy_url"), notice.getValue<std::string>("version")};
}

SessionState sessionStateFrom(const Poco::JSON::Object& state) {
  SessionState session;
  session.member = optionalString(state, "member");
  session.ageBand = optionalString(state, "age_band");
  session.staff = state.getValue<bool>("staff");
  session.profile = state.getValue<std::string>("profile");
  session.ageBands = strings(state, "age_bands");
  session.overrides = strings(state, "overrides");
  return session;
}

BlockedSite blockedSiteFrom(const Poco::JSON::Object& blocked) {
  return {blocked.getValue<std::string>("domain"), blocked.getValue<std::string>("category"),
          blocked.getValue<std::string>("reason")};
}

}  // namespace clubsafe::notice
