#pragma once

#include "common/event.hpp"

#include <cstdint>
#include <string>

// The events of what people do through the notices (N1-N4, F7), made in one place for the
// notice socket, the block page and the override store. Each is stamped with the time now and
// the operating-system account it came from; the outbox's stamp adds member and profile.
namespace clubsafe::agent::notices {

[[nodiscard]] common::Event noticeAcknowledgedEvent(const std::string& osUser, bool acknowledged,
                                                    const std::string& noticeVersion);
// `method`: "member_code", "first_name" or "staff_pin".
[[nodiscard]] common::Event memberSignInEvent(const std::string& osUser, const std::string& member,
                                              const std::string& ageBand,
                                              const std::string& method);
// `reason`: "signed_out", "session_ended", "policy_changed" or "time_limit" (a worker's PIN
// sign-in that lasted notices.staff_sign_in_limit).
[[nodiscard]] common::Event memberSignOutEvent(const std::string& osUser,
                                               const std::string& member,
                                               const std::string& reason);
[[nodiscard]] common::Event blockNoticeEvent(const std::string& osUser, const std::string& domain,
                                             const std::string& category);
// `message` may be empty.
[[nodiscard]] common::Event reviewRequestEvent(const std::string& osUser,
                                               const std::string& domain,
                                               const std::string& category,
                                               const std::string& message);
[[nodiscard]] common::Event worryReportEvent(const std::string& osUser, const std::string& about,
                                             const std::string& message);
// `scope`: "domain" or "category"; `worker`: the name the PIN belongs to.
[[nodiscard]] common::Event overrideEvent(const std::string& osUser, const std::string& scope,
                                          const std::string& target, std::int64_t minutes,
                                          const std::string& reason, const std::string& worker);

}  // namespace clubsafe::agent::notices
