#include "agent/tamper/hosts_watch.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::tamper {
namespace {

constexpr const char* kDebianHosts =
    "127.0.0.1\tlocalhost\n127.0.1.1\tclub-laptop-3\n\n"
    "# The following lines are desirable for IPv6 capable hosts\n"
    "::1     localhost ip6-localhost ip6-loopback\n";

std::string detailOf(const std::optional<common::Event>& event) {
  EXPECT_TRUE(event.has_value());
  if (!event) return {};
  EXPECT_EQ(event->type, common::EventType::Tamper);
  EXPECT_EQ(event->payload->getValue<std::string>("kind"), "hosts_changed");
  return event->payload->getValue<std::string>("detail");
}

class HostsWatchTest : public ::testing::Test {
 protected:
  void write(const std::string& text) const { std::ofstream(hosts_, std::ios::trunc) << text; }
  void append(const std::string& text) const { std::ofstream(hosts_, std::ios::app) << text; }

  clubsafe::testing::TempDir dir_;
  std::string hosts_ = dir_.file("hosts");
  std::string stateDir_ = dir_.path().string();
};

TEST_F(HostsWatchTest, TheFirstLookKeepsACopyAndAnUnchangedFileSaysNothing) {
  write(kDebianHosts);
  HostsWatch watch(hosts_, stateDir_);
  EXPECT_FALSE(watch.check());
  EXPECT_TRUE(std::filesystem::exists(hostsCopyPath(stateDir_)));
  EXPECT_FALSE(watch.check());
  EXPECT_FALSE(HostsWatch(hosts_, stateDir_).check());
}

TEST_F(HostsWatchTest, AnAddedLineIsReportedOnceNamingTheEntry) {
  write(kDebianHosts);
  HostsWatch watch(hosts_, stateDir_);
  EXPECT_FALSE(watch.check());
  append("216.58.204.68 WWW.Google.com  # not the safe search address\n");
  const auto detail = detailOf(watch.check());
  EXPECT_NE(detail.find(hosts_ + " changed"), std::string::npos) << detail;
  EXPECT_NE(detail.find("1 entry added: www.google.com (216.58.204.68)"), std::string::npos)
      << detail;
  EXPECT_NE(detail.find("no entry removed"), std::string::npos) << detail;
  EXPECT_FALSE(watch.check());
}

TEST_F(HostsWatchTest, AChangeMadeWhileTheAgentWasStoppedIsFoundAtTheNextStart) {
  write(kDebianHosts);
  EXPECT_FALSE(HostsWatch(hosts_, stateDir_).check());
  write("127.0.0.1 localhost\n");
  const auto detail = detailOf(HostsWatch(hosts_, stateDir_).check());
  EXPECT_NE(detail.find("no entry added"), std::string::npos) << detail;
  EXPECT_NE(detail.find("4 entries removed: "), std::string::npos) << detail;
  EXPECT_NE(detail.find("club-laptop-3 (127.0.1.1)"), std::string::npos) << detail;
}

TEST_F(HostsWatchTest, ManyEntriesAreCountedNotAllListed) {
  write(kDebianHosts);
  HostsWatch watch(hosts_, stateDir_);
  EXPECT_FALSE(watch.check());
  std::string lines;
  for (int i = 0; i < 500; ++i) lines += "0.0.0.0 tracker" + std::to_string(i) + ".example\n";
  append(lines);
  const auto detail = detailOf(watch.check());
  EXPECT_NE(detail.find("500 entries added"), std::string::npos) << detail;
  EXPECT_NE(detail.find("and 495 more"), std::string::npos) << detail;
  EXPECT_LT(detail.size(), 600u);
}

TEST_F(HostsWatchTest, ACommentOnlyChangeAndARemovedFileAreReportedAsSuch) {
  write(kDebianHosts);
  HostsWatch watch(hosts_, stateDir_);
  EXPECT_FALSE(watch.check());
  append("# a comment\n");
  EXPECT_NE(detailOf(watch.check()).find("only comments or spacing changed"), std::string::npos);
  std::filesystem::remove(hosts_);
  const auto detail = detailOf(watch.check());
  EXPECT_NE(detail.find(hosts_ + " was removed"), std::string::npos) << detail;
  EXPECT_FALSE(watch.check());
}

}  // namespace
}  // namespace clubsafe::agent::tamper
