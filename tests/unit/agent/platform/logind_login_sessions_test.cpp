#include "agent/platform/login_sessions.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace clubsafe::agent::platform {
namespace {

// The real logind of this machine, through sd-login. A build container often has no logind at
// all (and so no sessions); a desktop has at least the session running the tests' user.
TEST(LogindLoginSessionsTest, ListsThisMachinesSessionsWithoutFailing) {
  const auto sessions = makeLoginSessions()->list();
  std::error_code error;
  if (!std::filesystem::exists("/run/systemd/sessions", error) ||
      std::filesystem::is_empty("/run/systemd/sessions", error)) {
    EXPECT_TRUE(sessions.empty());
  }
  for (const auto& session : sessions) {
    EXPECT_FALSE(session.id.empty());
    EXPECT_FALSE(session.user.empty());
    EXPECT_FALSE(session.type.empty());
    EXPECT_NE(session.state, "");
  }
}

}  // namespace
}  // namespace clubsafe::agent::platform
