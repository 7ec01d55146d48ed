#include "agent/platform/login_sessions.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace clubsafe::agent::platform {
namespace {

namespace fs = std::filesystem;

const fs::path kSessions = "/run/systemd/sessions";

// The real logind of this machine, through sd-login. A build container often has no logind at
// all (and so no sessions); a desktop has at least the session running the tests' user.
TEST(LogindLoginSessionsTest, ListsThisMachinesSessionsWithoutFailing) {
  auto sessions = makeLoginSessions()->list();
  // LogindSessionFiles below may be writing its own at the same time (ctest -j).
  std::erase_if(sessions, [](const LoginSession& s) { return s.id.starts_with("clubsafetest"); });
  std::error_code error;
  bool none = true;
  for (const auto& entry : fs::directory_iterator(kSessions, error)) {
    none = none && entry.path().filename().string().starts_with("clubsafetest");
  }
  if (none) {
    EXPECT_TRUE(sessions.empty());
  }
  for (const auto& session : sessions) {
    EXPECT_FALSE(session.id.empty());
    EXPECT_FALSE(session.user.empty());
    EXPECT_FALSE(session.type.empty());
    EXPECT_FALSE(session.state.empty());
  }
}

// Session files as logind writes them (systemd 252's session_save), read back by the real
// sd-login: what the agent takes from them, and that login screens are left out.
class LogindSessionFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::error_code error;
    if (::geteuid() != 0 || !fs::is_directory(kSessions, error)) {
      GTEST_SKIP() << "needs root and " << kSessions << " (a Linux machine with systemd-logind, "
                   << "or a container where it exists, empty)";
    }
  }
  void TearDown() override {
    for (const auto& file : written_) fs::remove(file);
  }

  void write(const std::string& id, const std::string& content) {
    const auto file = kSessions / id;
    std::ofstream(file) << content;
    written_.push_back(file);
  }

  // Names nobody else's sessions have: logind's are numbers or "c" and a number.
  std::string id(const std::string& suffix) const {
    return "clubsafetest" + std::to_string(::getpid()) + suffix;
  }

  std::vector<fs::path> written_;
};

TEST_F(LogindSessionFiles, ReadsPeoplesSessionsAndLeavesLoginScreensOut) {
  write(id("a"),
        "# This is private data. Do not parse.\nUID=0\nUSER=root\nACTIVE=1\nIS_DISPLAY=1\n"
        "STATE=active\nREMOTE=0\nTYPE=x11\nORIGINAL_TYPE=x11\nCLASS=user\nSCOPE=session-2.scope\n"
        "SEAT=seat0\nDISPLAY=:0\nSERVICE=lightdm\nVTNR=7\nLEADER=1234\nREALTIME=1\nMONOTONIC=1\n");
  write(id("b"),
        "# This is private data. Do not parse.\nUID=0\nUSER=root\nACTIVE=0\nSTATE=online\n"
        "REMOTE=1\nTYPE=tty\nCLASS=user\nREMOTE_HOST=192.0.2.7\nSERVICE=sshd\nLEADER=99\n");
  write(id("c"),
        "# This is private data. Do not parse.\nUID=0\nUSER=root\nACTIVE=1\nSTATE=active\n"
        "REMOTE=0\nTYPE=x11\nCLASS=greeter\nDISPLAY=:1\nSERVICE=lightdm-greeter\n");

  auto sessions = makeLoginSessions()->list();
  std::erase_if(sessions, [&](const LoginSession& s) { return !s.id.starts_with(id("")); });
  std::sort(sessions.begin(), sessions.end(),
            [](const LoginSession& a, const LoginSession& b) { return a.id < b.id; });
  ASSERT_EQ(sessions.size(), 2u);  // the greeter is no one's session
  EXPECT_EQ(sessions[0], (LoginSession{id("a"), 0, "root", "x11", ":0", "active", false}));
  EXPECT_EQ(sessions[1], (LoginSession{id("b"), 0, "root", "tty", "", "online", true}));
}

}  // namespace
}  // namespace clubsafe::agent::platform
