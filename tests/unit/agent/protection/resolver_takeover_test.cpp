// Each resolver layout on a temporary root with the real file code. The one fake is the
// "reload the service" step (systemctl), the operating-system seam; the plain-file layout
// needs no service, so its tests run the real thing from start to end.
#include "agent/protection/resolver_takeover.hpp"

#include "agent/dns/dns_settings.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "tests/support/temp_dir.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::agent::protection {
namespace {

namespace fs = std::filesystem;
using platform::ResolverManager;

constexpr std::chrono::seconds kInterval{30};
constexpr const char* kPlain =
    "# from the router\nsearch club.lan\nnameserver 192.0.2.1\nnameserver 127.0.0.1\n"
    "nameserver 2001:db8::1\n";

class RecordingServices : public platform::ResolverServices {
 public:
  void reload(ResolverManager manager) override {
    reloads.push_back(manager);
    if (failuresLeft > 0) {
      --failuresLeft;
      throw platform::FileError("Could not restart systemd-resolved.service (test).");
    }
  }
  std::vector<ResolverManager> reloads;
  int failuresLeft = 0;
};

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string read(const fs::path& path) {
  return platform::readFileIfExists(path.string()).value_or("<missing>");
}

class ResolverTakeoverTest : public ::testing::Test {
 protected:
  // Follows the network as agent_application.cpp does, noting what the DNS filter would be told.
  void follow(ResolverTakeover& resolver, bool upstreamsSetExplicitly = false) {
    resolver.followNetwork(
        [this](std::vector<dns::Endpoint> servers) {
          std::vector<std::string> texts;
          for (const auto& server : servers) texts.push_back(server.text());
          told_.push_back(texts);
        },
        upstreamsSetExplicitly);
  }
  [[nodiscard]] std::vector<std::string> rememberedUpstreams() const {
    const auto state =
        Poco::JSON::Parser().parse(read(stateFile())).extract<Poco::JSON::Object::Ptr>();
    std::vector<std::string> texts;
    for (const auto& upstream : *state->getArray("upstreams")) texts.push_back(upstream.toString());
    return texts;
  }

  [[nodiscard]] ResolverTakeover takeover() {
    return {root_.path().string(), state_.path().string(), "127.0.0.1", services_, kInterval};
  }
  [[nodiscard]] fs::path etc(const std::string& name) const { return root_.path() / "etc" / name; }
  [[nodiscard]] fs::path agentFile() const { return root_.path() / "run/clubsafe/resolv.conf"; }
  [[nodiscard]] std::string stateFile() const { return resolverStatePath(state_.path().string()); }

  clubsafe::testing::TempDir root_;
  clubsafe::testing::TempDir state_;
  RecordingServices services_;
  std::vector<std::vector<std::string>> told_;
};

using Servers = std::vector<std::vector<std::string>>;

TEST_F(ResolverTakeoverTest, PlainFileIsPointedAtTheFilterAndRestoredOnStop) {
  writeText(etc("resolv.conf"), kPlain);
  auto resolver = takeover();
  resolver.takeOver();

  EXPECT_EQ(resolver.manager(), ResolverManager::File);
  const auto ours = read(etc("resolv.conf"));
  EXPECT_NE(ours.find("\nnameserver 127.0.0.1\n"), std::string::npos) << ours;
  EXPECT_NE(ours.find("search club.lan\n"), std::string::npos) << "short names keep working";
  EXPECT_EQ(ours.find("192.0.2.1"), std::string::npos) << ours;
  struct stat status {};
  ASSERT_EQ(::stat(etc("resolv.conf").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0644u);
  EXPECT_EQ(read(etc("resolv.conf.clubsafe-backup")), kPlain);
  EXPECT_TRUE(services_.reloads.empty());

  // The filter forwards to what the system used, loopback left out.
  const auto upstreams = dns::systemUpstreams(resolver.previousResolvConf());
  ASSERT_EQ(upstreams.size(), 2u);
  EXPECT_EQ(upstreams[0].text(), "192.0.2.1:53");
  EXPECT_EQ(upstreams[1].text(), "[2001:db8::1]:53");
  const auto state =
      Poco::JSON::Parser().parse(read(stateFile())).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(state->getValue<std::string>("manager"), "file");
  EXPECT_EQ(state->getArray("upstreams")->size(), 2u);
  ASSERT_EQ(::stat(stateFile().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0600u);

  EXPECT_TRUE(resolver.poll().empty()) << "nothing changed";
  resolver.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kPlain);
  EXPECT_FALSE(fs::exists(etc("resolv.conf.clubsafe-backup")));
  EXPECT_FALSE(fs::exists(stateFile()));
}

TEST_F(ResolverTakeoverTest, RememberingChangesNothingTheSystemReads) {
  fs::create_directories(root_.path() / "etc");
  fs::create_symlink("../run/systemd/resolve/stub-resolv.conf", etc("resolv.conf"));
  writeText(root_.path() / "run/systemd/resolve/resolv.conf", "nameserver 192.0.2.53\n");
  writeText(root_.path() / "run/systemd/resolve/stub-resolv.conf", "nameserver 127.0.0.53\n");
  auto resolver = takeover();
  resolver.remember();
  EXPECT_EQ(dns::systemUpstreams(resolver.previousResolvConf()).size(), 1u);
  // The link to the agent's file, which holds what the system read before.
  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf").string()), agentFile().string());
  EXPECT_EQ(read(etc("resolv.conf")), "nameserver 127.0.0.53\n");
  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf.clubsafe-backup").string()),
            "../run/systemd/resolve/stub-resolv.conf");
  EXPECT_FALSE(fs::exists(etc("systemd/resolved.conf.d/clubsafe.conf")));
  EXPECT_TRUE(services_.reloads.empty());
  EXPECT_TRUE(resolver.poll().empty());

  // The filter could not start: the agent gives up the take-over.
  resolver.restore();
  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf").string()),
            "../run/systemd/resolve/stub-resolv.conf");
  EXPECT_FALSE(fs::exists(etc("resolv.conf.clubsafe-backup")));
  EXPECT_FALSE(fs::exists(stateFile()));
  EXPECT_TRUE(services_.reloads.empty()) << "resolved was never told anything";
}

TEST_F(ResolverTakeoverTest, ARestartAfterACrashForwardsToTheRememberedResolvers) {
  writeText(etc("resolv.conf"), kPlain);
  takeover().takeOver();  // and never restored: the agent was killed

  auto again = takeover();
  again.takeOver();
  EXPECT_EQ(dns::systemUpstreams(again.previousResolvConf()).size(), 2u);
  EXPECT_EQ(read(etc("resolv.conf.clubsafe-backup")), kPlain) << "the backup is not overwritten";
  again.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kPlain);
}

TEST_F(ResolverTakeoverTest, ALostStateFileIsRebuiltFromTheBackup) {
  writeText(etc("resolv.conf"), kPlain);
  takeover().takeOver();
  fs::remove(stateFile());

  auto again = takeover();
  again.takeOver();
  EXPECT_EQ(dns::systemUpstreams(again.previousResolvConf()).size(), 2u);
  again.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kPlain);
}

TEST_F(ResolverTakeoverTest, AnOldBackupIsReplacedByTheSystemsPresentFile) {
  writeText(etc("resolv.conf.clubsafe-backup"), "nameserver 198.51.100.1\n");
  writeText(etc("resolv.conf"), kPlain);
  auto resolver = takeover();
  resolver.takeOver();
  EXPECT_EQ(read(etc("resolv.conf.clubsafe-backup")), kPlain);
  resolver.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kPlain);
}

TEST_F(ResolverTakeoverTest, OurFileWithNeitherStateNorBackupIsRefused) {
  writeText(etc("resolv.conf"), kPlain);
  takeover().takeOver();
  fs::remove(stateFile());
  fs::remove(etc("resolv.conf.clubsafe-backup"));
  const auto ours = read(etc("resolv.conf"));
  auto again = takeover();
  try {
    again.remember();
    FAIL() << "expected ResolverError";
  } catch (const ResolverError& error) {
    EXPECT_NE(std::string(error.what()).find("router's address"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(read(etc("resolv.conf")), ours);
  EXPECT_FALSE(fs::exists(stateFile()));
}

TEST_F(ResolverTakeoverTest, AChangedRemovedOrLinkedResolvConfIsPutBackAndReported) {
  writeText(etc("resolv.conf"), kPlain);
  auto resolver = takeover();
  resolver.takeOver();
  const auto ours = read(etc("resolv.conf"));

  writeText(etc("resolv.conf"), "search club.lan\nnameserver 8.8.8.8\n");
  auto events = resolver.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, common::EventType::Tamper);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "resolver_changed");
  EXPECT_NE(events[0].payload->getValue<std::string>("detail").find("changed"), std::string::npos);
  EXPECT_EQ(read(etc("resolv.conf")), ours);
  EXPECT_TRUE(resolver.poll().empty()) << "reported once";
  // Like a DHCP client's file: allowed names now go to 8.8.8.8, still through the filter.
  EXPECT_EQ(rememberedUpstreams(), std::vector<std::string>{"8.8.8.8:53"});

  fs::remove(etc("resolv.conf"));
  events = resolver.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].payload->getValue<std::string>("detail").find("removed"), std::string::npos);

  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf").string()), agentFile().string());
  EXPECT_EQ(read(etc("resolv.conf")), ours);
  EXPECT_EQ(read(etc("resolv.conf.clubsafe-backup")), kPlain) << "the system's own is kept";

  // A link to a file with the same text still lets whoever owns that file change it.
  writeText(root_.path() / "elsewhere", ours);
  fs::remove(etc("resolv.conf"));
  fs::create_symlink(root_.path() / "elsewhere", etc("resolv.conf"));
  EXPECT_EQ(resolver.poll().size(), 1u);
  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf").string()), agentFile().string());
  EXPECT_EQ(read(etc("resolv.conf")), ours);
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_TRUE(services_.reloads.empty());
}

TEST_F(ResolverTakeoverTest, SystemdResolvedGetsADropInAndItsLinkBackOnStop) {
  fs::create_directories(root_.path() / "etc");
  fs::create_symlink("../run/systemd/resolve/stub-resolv.conf", etc("resolv.conf"));
  writeText(root_.path() / "run/systemd/resolve/stub-resolv.conf",
            "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n");
  writeText(root_.path() / "run/systemd/resolve/resolv.conf", "nameserver 192.0.2.53\n");

  auto resolver = takeover();
  resolver.takeOver();
  EXPECT_EQ(resolver.manager(), ResolverManager::SystemdResolved);
  const auto dropIn = read(etc("systemd/resolved.conf.d/clubsafe.conf"));
  EXPECT_NE(dropIn.find("[Resolve]\nDNS=127.0.0.1\nDomains=~.\n"), std::string::npos) << dropIn;
  EXPECT_EQ(services_.reloads, std::vector{ResolverManager::SystemdResolved});
  const auto ours = read(etc("resolv.conf"));
  EXPECT_NE(ours.find("nameserver 127.0.0.1\n"), std::string::npos);
  EXPECT_NE(ours.find("search lan\n"), std::string::npos);
  const auto upstreams = dns::systemUpstreams(resolver.previousResolvConf());
  ASSERT_EQ(upstreams.size(), 1u) << "resolved's real servers, not its stub";
  EXPECT_EQ(upstreams[0].text(), "192.0.2.53:53");

  fs::remove(etc("systemd/resolved.conf.d/clubsafe.conf"));
  const auto events = resolver.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "resolver_changed");
  EXPECT_EQ(read(etc("systemd/resolved.conf.d/clubsafe.conf")), dropIn);
  EXPECT_EQ(services_.reloads.size(), 2u) << "resolved restarted to read it again";

  resolver.restore();
  EXPECT_EQ(platform::symlinkTarget(etc("resolv.conf").string()),
            "../run/systemd/resolve/stub-resolv.conf");
  EXPECT_FALSE(fs::exists(etc("systemd/resolved.conf.d/clubsafe.conf")));
  EXPECT_EQ(services_.reloads.size(), 3u);
}

TEST_F(ResolverTakeoverTest, NetworkManagerIsToldToLeaveResolvConfAlone) {
  constexpr const char* kGenerated = "# Generated by NetworkManager\nnameserver 192.0.2.7\n";
  writeText(etc("resolv.conf"), kGenerated);
  auto resolver = takeover();
  resolver.takeOver();
  EXPECT_EQ(resolver.manager(), ResolverManager::NetworkManager);
  EXPECT_NE(read(etc("NetworkManager/conf.d/clubsafe.conf"))
                .find("[main]\ndns=default\nrc-manager=unmanaged\n"),
            std::string::npos);
  EXPECT_EQ(services_.reloads, std::vector{ResolverManager::NetworkManager});
  EXPECT_EQ(dns::systemUpstreams(resolver.previousResolvConf()).size(), 1u);

  writeText(etc("NetworkManager/conf.d/clubsafe.conf"), "[main]\ndns=default\n");
  EXPECT_EQ(resolver.poll().size(), 1u);
  EXPECT_EQ(services_.reloads.size(), 2u);

  resolver.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kGenerated);
  EXPECT_FALSE(fs::exists(etc("NetworkManager/conf.d/clubsafe.conf")));
  EXPECT_EQ(services_.reloads.size(), 3u);
}

TEST_F(ResolverTakeoverTest, AFailedReloadLeavesTheSystemsOwnSettings) {
  constexpr const char* kGenerated = "# Generated by NetworkManager\nnameserver 192.0.2.7\n";
  writeText(etc("resolv.conf"), kGenerated);
  services_.failuresLeft = 1;
  auto resolver = takeover();
  try {
    resolver.takeOver();
    FAIL() << "expected ResolverError";
  } catch (const ResolverError& error) {
    EXPECT_NE(std::string(error.what()).find("systemd-resolved.service (test)"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(read(etc("resolv.conf")), kGenerated);
  EXPECT_FALSE(fs::exists(etc("NetworkManager/conf.d/clubsafe.conf")));
  EXPECT_FALSE(fs::exists(stateFile()));
  EXPECT_TRUE(resolver.poll().empty()) << "nothing to keep in place";
}

TEST_F(ResolverTakeoverTest, ADamagedStateFileIsRefusedAndNothingChanges) {
  writeText(etc("resolv.conf"), kPlain);
  writeText(stateFile(), "{ not json");
  auto resolver = takeover();
  try {
    resolver.takeOver();
    FAIL() << "expected ResolverError";
  } catch (const ResolverError& error) {
    EXPECT_NE(std::string(error.what()).find(stateFile()), std::string::npos) << error.what();
  }
  EXPECT_EQ(read(etc("resolv.conf")), kPlain);
}

TEST_F(ResolverTakeoverTest, NoResolvConfBeforeMeansNoneAfter) {
  auto resolver = takeover();
  resolver.takeOver();
  EXPECT_TRUE(fs::exists(etc("resolv.conf")));
  EXPECT_TRUE(dns::systemUpstreams(resolver.previousResolvConf()).empty());
  resolver.restore();
  EXPECT_FALSE(fs::exists(etc("resolv.conf")));
}

TEST_F(ResolverTakeoverTest, TamperEventsAreValidInTheOutbox) {
  writeText(etc("resolv.conf"), kPlain);
  outbox::Outbox outbox(state_.file("outbox.db"), outbox::Outbox::Access::ReadWrite);
  sources::SourceScheduler scheduler(outbox);
  auto resolver = takeover();
  resolver.takeOver();
  writeText(etc("resolv.conf"), "nameserver 8.8.8.8\n");
  scheduler.pollAndSave(resolver);
  const auto waiting = outbox.nextBatch(10);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_NE(waiting[0].encoded.find("resolver_changed"), std::string::npos) << waiting[0].encoded;
  resolver.restore();
}

TEST_F(ResolverTakeoverTest, ADhcpClientsNewFileMovesTheUpstreamsAndIsStillPutBack) {
  writeText(etc("resolv.conf"), kPlain);
  auto resolver = takeover();
  resolver.takeOver();
  follow(resolver);
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_TRUE(told_.empty()) << "the same network";

  // Home Wi-Fi: dhclient writes the new network's file.
  constexpr const char* kHome = "search home.lan\nnameserver 198.51.100.1\nnameserver ::1\n";
  writeText(etc("resolv.conf"), kHome);
  const auto events = resolver.poll();
  ASSERT_EQ(events.size(), 1u) << "reported as today";
  EXPECT_EQ(events[0].payload->getValue<std::string>("kind"), "resolver_changed");
  EXPECT_EQ(told_, (Servers{{"198.51.100.1:53"}}));
  EXPECT_EQ(rememberedUpstreams(), std::vector<std::string>{"198.51.100.1:53"});
  const auto ours = read(etc("resolv.conf"));
  EXPECT_NE(ours.find("nameserver 127.0.0.1\nsearch home.lan\n"), std::string::npos) << ours;
  EXPECT_EQ(ours.find("club.lan"), std::string::npos) << ours;
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_EQ(told_.size(), 1u) << "told once";

  // A file naming only loopback servers says nothing of where to forward.
  writeText(etc("resolv.conf"), "nameserver 127.0.0.1\n");
  EXPECT_EQ(resolver.poll().size(), 1u);
  EXPECT_EQ(told_.size(), 1u);
  EXPECT_EQ(read(etc("resolv.conf")), ours);

  // A restart after a crash forwards to the home network's resolvers.
  auto again = takeover();
  again.takeOver();
  EXPECT_EQ(dns::systemUpstreams(again.previousResolvConf()).at(0).text(), "198.51.100.1:53");
  again.restore();
  EXPECT_EQ(read(etc("resolv.conf")), kHome) << "the network's own file comes back";
}

TEST_F(ResolverTakeoverTest, AnExplicitUpstreamSettingWinsButTheStateStillFollows) {
  writeText(etc("resolv.conf"), kPlain);
  auto resolver = takeover();
  resolver.takeOver();
  follow(resolver, true);
  writeText(etc("resolv.conf"), "nameserver 198.51.100.1\n");
  EXPECT_EQ(resolver.poll().size(), 1u);
  EXPECT_TRUE(told_.empty());
  EXPECT_EQ(rememberedUpstreams(), std::vector<std::string>{"198.51.100.1:53"});
  resolver.restore();
  EXPECT_EQ(read(etc("resolv.conf")), "nameserver 198.51.100.1\n");
}

TEST_F(ResolverTakeoverTest, SystemdResolvedsLinkServersAreFollowedWithoutOurOwn) {
  fs::create_directories(root_.path() / "etc");
  fs::create_symlink("../run/systemd/resolve/stub-resolv.conf", etc("resolv.conf"));
  const auto upstreams = root_.path() / "run/systemd/resolve/resolv.conf";
  writeText(upstreams, "nameserver 192.0.2.53\n");
  auto resolver = takeover();
  resolver.takeOver();
  follow(resolver);
  // Resolved lists our global DNS=127.0.0.1 beside the link's servers.
  writeText(upstreams, "nameserver 127.0.0.1\nnameserver 192.0.2.53\n");
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_TRUE(told_.empty());

  writeText(upstreams, "nameserver 127.0.0.1\nnameserver 203.0.113.9\nnameserver 2001:db8::9\n");
  EXPECT_TRUE(resolver.poll().empty()) << "a new network is no tampering";
  EXPECT_EQ(told_, (Servers{{"203.0.113.9:53", "[2001:db8::9]:53"}}));
  EXPECT_EQ(rememberedUpstreams(),
            (std::vector<std::string>{"203.0.113.9:53", "[2001:db8::9]:53"}));

  fs::remove(upstreams);  // between networks
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_EQ(told_.size(), 1u);
  EXPECT_EQ(services_.reloads.size(), 1u) << "only the take-over restarted resolved";

  auto again = takeover();
  again.remember();
  EXPECT_EQ(dns::systemUpstreams(again.previousResolvConf()).size(), 2u);
  again.restore();
}

TEST_F(ResolverTakeoverTest, NetworkManagersOwnFilesAreFollowed) {
  writeText(etc("resolv.conf"), "# Generated by NetworkManager\nnameserver 192.0.2.7\n");
  auto resolver = takeover();
  resolver.takeOver();
  follow(resolver);
  const auto run = root_.path() / "run/NetworkManager";
  writeText(run / "resolv.conf", "# Generated by NetworkManager\nnameserver 192.0.2.7\n");
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_TRUE(told_.empty());

  writeText(run / "resolv.conf", "# Generated by NetworkManager\nnameserver 203.0.113.20\n");
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_EQ(told_, (Servers{{"203.0.113.20:53"}}));

  // With a local cache its resolv.conf names the cache; no-stub-resolv.conf the real servers.
  writeText(run / "resolv.conf", "# Generated by NetworkManager\nnameserver 127.0.0.1\n");
  writeText(run / "no-stub-resolv.conf",
            "# Generated by NetworkManager\nnameserver 203.0.113.21\n");
  EXPECT_TRUE(resolver.poll().empty());
  EXPECT_EQ(told_, (Servers{{"203.0.113.20:53"}, {"203.0.113.21:53"}}));
  EXPECT_EQ(rememberedUpstreams(), std::vector<std::string>{"203.0.113.21:53"});
  EXPECT_EQ(services_.reloads.size(), 1u);
  resolver.restore();
}

}  // namespace
}  // namespace clubsafe::agent::protection
