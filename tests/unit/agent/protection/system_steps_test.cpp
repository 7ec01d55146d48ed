// The service's steps around the agent on a temporary root, with the real file code; under a
// real systemd sandbox they are exercised by tests/system/debian_packages_test.sh.
#include "agent/protection/system_steps.hpp"

#include "agent/platform/private_file.hpp"
#include "agent/platform/resolver_settings.hpp"
#include "agent/protection/resolv_conf_link.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::protection {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPlain = "search club.lan\nnameserver 192.0.2.1\n";

class SystemStepsTest : public ::testing::Test {
 protected:
  void writeText(const fs::path& path, const std::string& text) const {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  [[nodiscard]] std::string read(const std::string& relative) const {
    return platform::readFileIfExists((root_.path() / relative).string()).value_or("<missing>");
  }
  [[nodiscard]] std::optional<std::string> linkOf(const std::string& relative) const {
    return platform::symlinkTarget((root_.path() / relative).string());
  }
  [[nodiscard]] std::string root() const { return root_.path().string(); }

  clubsafe::testing::TempDir root_;
};

TEST_F(SystemStepsTest, PrepareMakesThePolicyFoldersAndLinksResolvConfWithTheSameText) {
  writeText(root_.path() / "etc/resolv.conf", kPlain);
  fs::create_directories(root_.path() / "etc/systemd");
  prepareSystem(root(), true);

  EXPECT_TRUE(fs::is_directory(root_.path() / "etc/chromium/policies/managed"));
  EXPECT_TRUE(fs::is_directory(root_.path() / "etc/opt/chrome/policies/managed"));
  EXPECT_TRUE(fs::is_directory(root_.path() / "etc/firefox/policies"));
  EXPECT_TRUE(fs::is_directory(root_.path() / "etc/systemd/resolved.conf.d"));
  EXPECT_FALSE(fs::exists(root_.path() / "etc/NetworkManager")) << "not installed here";

  EXPECT_EQ(linkOf("etc/resolv.conf"), (root_.path() / "run/clubsafe/resolv.conf").string());
  EXPECT_EQ(read("etc/resolv.conf"), kPlain) << "nothing the system reads changes";
  EXPECT_EQ(read("etc/resolv.conf.clubsafe-backup"), kPlain);

  prepareSystem(root(), true);  // the next start: already linked
  EXPECT_EQ(read("etc/resolv.conf.clubsafe-backup"), kPlain);

  giveBackSystem(root());
  EXPECT_EQ(linkOf("etc/resolv.conf"), std::nullopt);
  EXPECT_EQ(read("etc/resolv.conf"), kPlain);
  EXPECT_FALSE(fs::exists(root_.path() / "etc/resolv.conf.clubsafe-backup"));
}

TEST_F(SystemStepsTest, WithoutTakeOverResolvConfIsLeftAlone) {
  writeText(root_.path() / "etc/resolv.conf", kPlain);
  prepareSystem(root(), false);
  EXPECT_EQ(linkOf("etc/resolv.conf"), std::nullopt);
  EXPECT_FALSE(fs::exists(root_.path() / "etc/resolv.conf.clubsafe-backup"));
  giveBackSystem(root());
  EXPECT_EQ(read("etc/resolv.conf"), kPlain);
}

TEST_F(SystemStepsTest, AfterABootTheAgentsFileIsMadeAgainFromTheBackup) {
  writeText(root_.path() / "etc/resolv.conf", kPlain);
  prepareSystem(root(), true);
  fs::remove_all(root_.path() / "run");  // /run is emptied at boot
  prepareSystem(root(), true);
  EXPECT_EQ(read("etc/resolv.conf"), kPlain);
}

TEST_F(SystemStepsTest, GiveBackRestoresResolvedsLinkAndTheNetworksOwnFile) {
  fs::create_directories(root_.path() / "etc");
  fs::create_symlink("../run/systemd/resolve/stub-resolv.conf", root_.path() / "etc/resolv.conf");
  prepareSystem(root(), true);
  giveBackSystem(root());
  EXPECT_EQ(linkOf("etc/resolv.conf"), "../run/systemd/resolve/stub-resolv.conf");

  // A plain file: what the agent left in its file when it stopped (the network it is on now)
  // comes back, not the older backup; the agent's own text never does.
  writeText(root_.path() / "etc/resolv.conf.tmp-plain", kPlain);
  fs::rename(root_.path() / "etc/resolv.conf.tmp-plain", root_.path() / "etc/resolv.conf");
  prepareSystem(root(), true);
  writeText(root_.path() / "run/clubsafe/resolv.conf", "nameserver 198.51.100.1\n");
  giveBackSystem(root());
  EXPECT_EQ(read("etc/resolv.conf"), "nameserver 198.51.100.1\n");

  prepareSystem(root(), true);
  writeText(root_.path() / "run/clubsafe/resolv.conf",
            std::string(kAgentResolvConfHeader) + "\nnameserver 127.0.0.1\n");
  giveBackSystem(root());
  EXPECT_EQ(read("etc/resolv.conf"), "nameserver 198.51.100.1\n") << "the backup after a crash";
}

TEST_F(SystemStepsTest, GiveBackLeavesAFileSomeoneElsePutThere) {
  writeText(root_.path() / "etc/resolv.conf", kPlain);
  prepareSystem(root(), true);
  fs::remove(root_.path() / "etc/resolv.conf");
  writeText(root_.path() / "etc/resolv.conf", "nameserver 203.0.113.9\n");
  giveBackSystem(root());
  EXPECT_EQ(read("etc/resolv.conf"), "nameserver 203.0.113.9\n");
}

TEST_F(SystemStepsTest, NoResolvConfBeforeMeansNoneAfter) {
  prepareSystem(root(), true);
  giveBackSystem(root());
  EXPECT_FALSE(fs::exists(fs::symlink_status(root_.path() / "etc/resolv.conf")));
}

}  // namespace
}  // namespace clubsafe::agent::protection
