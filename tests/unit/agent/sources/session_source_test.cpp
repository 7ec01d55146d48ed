#include "agent/sources/session_source.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::sources {
namespace {

class FakeSessions : public platform::LoginSessions {
 public:
  std::vector<platform::LoginSession> list() override { return sessions; }
  std::vector<platform::LoginSession> sessions;
};

TEST(SessionSourceTest, ReportsLoginsAndLogoutsWithTheOsUserOnly) {
  FakeSessions logind;
  SessionSource source(std::chrono::seconds(5), logind);
  EXPECT_TRUE(source.poll().empty());

  logind.sessions = {{"2", 1000, "amira", "x11", ":0", "active", false}};
  auto events = source.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, common::EventType::Session);
  EXPECT_EQ(events[0].osUser, "amira");
  EXPECT_EQ(events[0].payload->getValue<std::string>("action"), "login");
  EXPECT_EQ(events[0].payload->getValue<std::string>("session_id"), "2");
  EXPECT_EQ(events[0].payload->size(), 2u);  // nothing else about the person
  EXPECT_TRUE(source.poll().empty());

  // Ben logs in while Amira logs out (her session lingers as "closing").
  logind.sessions = {{"2", 1000, "amira", "x11", ":0", "closing", false},
                     {"4", 1001, "ben", "wayland", "", "active", false}};
  events = source.poll();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("action"), "logout");
  EXPECT_EQ(events[0].osUser, "amira");
  EXPECT_EQ(events[1].payload->getValue<std::string>("action"), "login");
  EXPECT_EQ(events[1].osUser, "ben");

  logind.sessions.clear();
  events = source.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("session_id"), "4");
  EXPECT_EQ(events[0].payload->getValue<std::string>("action"), "logout");
}

TEST(SessionSourceTest, SessionsOpenAtStartAreReportedAsLogins) {
  FakeSessions logind;
  logind.sessions = {{"c1", 1000, "amira", "x11", ":0", "active", false},
                     {"c2", 1001, "ben", "tty", "", "online", false}};
  SessionSource source(std::chrono::seconds(5), logind);
  EXPECT_EQ(source.poll().size(), 2u);
}

}  // namespace
}  // namespace clubsafe::agent::sources
