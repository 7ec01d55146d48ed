#include "agent/sources/app_list_source.hpp"

#include "tests/support/temp_dir.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <fstream>

namespace clubsafe::agent::sources {
namespace {

using std::chrono::seconds;

class FakeProcessLister : public platform::ProcessLister {
 public:
  std::vector<platform::ProcessInfo> list() override { return processes; }
  std::vector<platform::ProcessInfo> processes;
};

std::vector<std::string> applications(const common::Event& event) {
  std::vector<std::string> names;
  const auto array = event.payload->getArray("applications");
  for (std::size_t i = 0; i < array->size(); ++i) {
    names.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return names;
}

// The applications of real desktop entries written in `dir`, as /usr/share/applications holds
// them.
std::unique_ptr<platform::DesktopApplications> applicationsIn(
    const clubsafe::testing::TempDir& dir, const std::vector<std::string>& executables) {
  for (const auto& name : executables) {
    std::ofstream(dir.file(name + ".desktop"))
        << "[Desktop Entry]\nType=Application\nName=" << name << "\nExec=/usr/bin/" << name
        << " %U\n";
  }
  return platform::makeDesktopApplications({dir.path()});
}

class AppListSourceTest : public ::testing::Test {
 protected:
  FakeProcessLister lister_;
  clubsafe::testing::TempDir entries_;
  std::unique_ptr<platform::DesktopApplications> applications_ =
      applicationsIn(entries_, {"firefox-esr", "vlc", "gimp", "sshd"});
  AppListSource source_{seconds(60), lister_, *applications_};
};

TEST_F(AppListSourceTest, ReportsEachPersonsSortedDistinctAppsAndLeavesSystemAccountsOut) {
  lister_.processes = {{10, 1000, "amira", "firefox-esr"}, {11, 1000, "amira", "bash"},
                       {12, 1000, "amira", "firefox-esr"}, {13, 1001, "ben", "vlc"},
                       {14, 0, "root", "sshd"},            {15, 65534, "nobody", "dnsmasq"},
                       {16, 999, "systemd-timesync", "systemd-timesyncd"},
                       {17, 1001, "ben", "dbus-daemon"}};
  const auto events = source_.poll();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, common::EventType::AppList);
  EXPECT_EQ(events[0].osUser, "amira");
  // The shell and the session's services are not applications a person opened.
  EXPECT_EQ(applications(events[0]), (std::vector<std::string>{"firefox-esr"}));
  EXPECT_EQ(events[1].osUser, "ben");
  EXPECT_EQ(applications(events[1]), (std::vector<std::string>{"vlc"}));
  EXPECT_TRUE(events[0].member.empty());
  EXPECT_TRUE(events[0].profile.empty());
}

TEST_F(AppListSourceTest, ReportsAUserAgainOnlyWhenTheirListChanged) {
  lister_.processes = {{10, 1000, "amira", "firefox-esr"}, {13, 1001, "ben", "vlc"}};
  EXPECT_EQ(source_.poll().size(), 2u);

  // New processes of apps already listed change nothing.
  lister_.processes = {{20, 1000, "amira", "firefox-esr"}, {21, 1000, "amira", "firefox-esr"},
                       {13, 1001, "ben", "vlc"}};
  EXPECT_TRUE(source_.poll().empty());

  lister_.processes.push_back({22, 1001, "ben", "gimp"});
  const auto events = source_.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].osUser, "ben");
  EXPECT_EQ(applications(events[0]), (std::vector<std::string>{"gimp", "vlc"}));
}

TEST_F(AppListSourceTest, AUserWithNothingRunningAnyMoreIsReportedOnceWithAnEmptyList) {
  lister_.processes = {{10, 1000, "amira", "firefox-esr"}};
  EXPECT_EQ(source_.poll().size(), 1u);
  lister_.processes.clear();
  const auto events = source_.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].osUser, "amira");
  EXPECT_TRUE(applications(events[0]).empty());
  EXPECT_TRUE(source_.poll().empty());
}

TEST(IsHumanUserTest, PeopleHaveUidsFrom1000ButNotNobody) {
  EXPECT_FALSE(isHumanUser(0));
  EXPECT_FALSE(isHumanUser(999));
  EXPECT_TRUE(isHumanUser(1000));
  EXPECT_TRUE(isHumanUser(65533));
  EXPECT_FALSE(isHumanUser(65534));
  EXPECT_FALSE(isHumanUser(65535));
}

}  // namespace
}  // namespace clubsafe::agent::sources
