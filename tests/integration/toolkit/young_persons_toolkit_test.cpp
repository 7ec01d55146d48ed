// The young person's toolkit, network part (issue 14; docs/CIRCUMVENTION.md lists every attempt
// and the test that makes it): with the real agent as the laptop's filter, a program of an
// ordinary account asks an outside resolver on port 53 (UDP and TCP, IPv4 and IPv6), reaches
// port 853, and speaks HTTP to a public DNS-over-HTTPS resolver's address; a page's name
// rebinds to 127.0.0.2; someone signs in as 18-25 without a code; Chromium is started with a
// SOCKS proxy; root flushes the firewall.
// In the young person's home, a browser profile folder is a link to another member's profile
// and a places.sqlite's visits are a view over a query that never ends. Each
// is first shown to work without the agent, so the test can tell a refusal from a broken network.
//
// It runs as root in network namespaces and a mount namespace of its own (empty /root and /home,
// a copy of /etc) and never touches this machine's network, homes or settings:
// the test process moves into a new namespace (the laptop: the real collector on its
// 127.0.0.1, the real agent as its resolver on port 53) joined by a veth link to a second one
// (the outside: Debian's dnsmasq as the club router's resolver and as a stranger's resolver,
// python3's HTTP server standing in for 1.1.1.1 on port 443 and for port 853).
#include "tests/integration/dns/dns_tools.hpp"
#include "tests/integration/notice_connection.hpp"

#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace clubsafe::testing {
namespace {

constexpr const char* kIp = "/usr/sbin/ip";
constexpr const char* kNft = "/usr/sbin/nft";
constexpr const char* kCurl = "/usr/bin/curl";
constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kSqlite = "/usr/bin/sqlite3";
constexpr const char* kNode = "/usr/bin/node";
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kProxyProbe = CLUBSAFE_BROWSER_TESTS_DIR "/proxy_probe.mjs";
constexpr const char* kPlaywright = CLUBSAFE_BROWSER_TESTS_DIR "/node_modules/playwright-core";
constexpr const char* kFirefoxSchema = CLUBSAFE_FIREFOX_SCHEMA;
constexpr std::uint32_t kChildUid = 4242;  // the young person's account
constexpr std::uint32_t kOtherUid = 4243;  // another member's account on the same laptop
constexpr const char* kChildHome = "/home/kid";
constexpr const char* kOtherHome = "/home/other";

// The outside: the club router (the agent's upstream), a stranger's resolver, and stand-ins at
// two public resolvers' real addresses, all on the far end of the link.
constexpr const char* kRouter = "10.99.0.1";
constexpr const char* kRouterV6 = "fd99::1";
constexpr const char* kStranger = "198.51.100.7";
constexpr const char* kPublicResolver = "1.1.1.1";
constexpr const char* kPublicResolverV6 = "2606:4700:4700::1111";
// What the outside resolvers answer: the blocked site's real address and an allowed one.
constexpr const char* kCasino = "casino.example";
constexpr const char* kCasinoAddress = "203.0.113.9";
constexpr const char* kAllowedAddress = "203.0.113.10";

std::string run(const std::vector<std::string>& command) {
  const auto result =
      runCommand(command.front(), std::vector<std::string>(command.begin() + 1, command.end()));
  if (result.status != 0) {
    std::string line;
    for (const auto& word : command) line += word + " ";
    throw std::runtime_error(line + "failed: " + result.output);
  }
  return result.output;
}

// The answer dig gets from `server` for the casino, as the young person's account: its address
// when the resolver was reached, else dig's complaint.
std::string askAsChild(const std::string& server, const std::vector<std::string>& options = {}) {
  std::vector<std::string> arguments{"@" + server, kCasino, "A", "+short", "+tries=1", "+time=2"};
  arguments.insert(arguments.end(), options.begin(), options.end());
  return runAsAccount(kChildUid, kDig, arguments).output;
}

// Whether an HTTP request from the young person's account to `host`:`port` reached a server
// (any HTTP status) rather than being refused or timing out.
bool reachesAsChild(const std::string& host, const std::string& port) {
  const auto url = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                   ":" + port + "/dns-query";
  const auto answer = runAsAccount(
      kChildUid, kCurl,
      {"--silent", "--output", "/dev/null", "--max-time", "3", "--write-out", "%{http_code}", url});
  return answer.output != "000" && !answer.output.empty();
}

// A Firefox profile folder whose places.sqlite, Firefox's own schema, holds a visit a minute ago
// to each of `urls`.
void makeFirefoxProfile(const std::string& folder, const std::vector<std::string>& urls) {
  std::filesystem::create_directories(folder);
  const auto minuteAgo = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch() - 60s)
                             .count();
  std::string visits;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const auto id = std::to_string(i + 1);
    visits += "INSERT INTO moz_places (id, url, title) VALUES (" + id + ", '" + urls[i] +
              "', 'A page');INSERT INTO moz_historyvisits (id, from_visit, place_id, visit_date, "
              "visit_type) VALUES (" +
              id + ", 0, " + id + ", " + std::to_string(minuteAgo) + ", 1);";
  }
  run({kSqlite, folder + "/places.sqlite", std::string(".read ") + kFirefoxSchema, visits});
}

// The young person's home: a profile folder that is a link to the other member's profile,
// and a places.sqlite whose visits are a view over a query that never ends. The other
// member's own profile is read as theirs, which shows history is read at all in this run.
void makeHostileHomes() {
  makeFirefoxProfile(std::string(kOtherHome) + "/.mozilla/firefox/own.default-release",
                     {"https://www.bbc.co.uk/bitesize", "https://www.example.org/homework"});
  const auto profiles = std::string(kChildHome) + "/.mozilla/firefox";
  std::filesystem::create_directories(profiles + "/endless.default");
  run({kSqlite, profiles + "/endless.default/places.sqlite",
       "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT);"
       "CREATE VIEW moz_historyvisits AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL "
       "SELECT n + 1 FROM forever) SELECT n AS id, 0 AS from_visit, 1 AS place_id, n AS "
       "visit_date, 1 AS visit_type FROM forever;"});
  std::filesystem::create_directory_symlink(
      std::string(kOtherHome) + "/.mozilla/firefox/own.default-release",
      profiles + "/borrowed.default-release");
  run({"/usr/bin/chown", "-R", std::to_string(kOtherUid) + ":" + std::to_string(kOtherUid),
       kOtherHome});
  run({"/usr/bin/chown", "-R", "-h", std::to_string(kChildUid) + ":" + std::to_string(kChildUid),
       kChildHome});
}

// A copy of /etc over /etc, for this process and its children only: the agent writes the
// browsers' policies there, and resolv.conf names the filter as on a laptop it took over. The
// Firefox program folders, where it writes too, are hidden under empty ones.
void useACopyOfEtc(const TempDir& dir) {
  const auto copy = dir.file("etc");
  run({"/usr/bin/cp", "-a", "/etc", copy});
  if (::mount(copy.c_str(), "/etc", nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    throw std::runtime_error(std::string("bind mount over /etc: ") + std::strerror(errno));
  }
  std::filesystem::remove("/etc/resolv.conf");  // perhaps a link out of /etc
  std::ofstream("/etc/resolv.conf") << "nameserver 127.0.0.1\n";
  for (const char* folder : {"/usr/lib/firefox-esr", "/usr/lib/firefox"}) {
    if (std::filesystem::exists(folder) && ::mount("tmpfs", folder, "tmpfs", 0, "mode=0755") != 0) {
      throw std::runtime_error(std::string("tmpfs on ") + folder + ": " + std::strerror(errno));
    }
  }
}

// What Debian's Chromium showed for `url` when started with --proxy-server=`proxy`.
Poco::JSON::Object::Ptr openThroughProxy(const std::string& proxy, const std::string& url) {
  const auto opened = runCommand(kNode, {kProxyProbe, proxy, url}, 60s);
  if (opened.status != 0) throw std::runtime_error("the proxy probe failed: " + opened.output);
  return parseObject(opened.output.substr(opened.output.rfind("\n{") + 1));
}

class YoungPersonsToolkitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "Needs root: it makes network namespaces of its own.";
    for (const auto* tool :
         {kIp, kNft, kCurl, kPython, kDnsmasq, kDig, kNode, kChromium, kPlaywright}) {
      if (!std::filesystem::exists(tool)) {
        GTEST_SKIP() << tool << " is missing: run scripts/install-deps.sh.";
      }
    }
    // From here on this process, and every program it starts, is on the laptop's network.
    ASSERT_EQ(::unshare(CLONE_NEWNET), 0) << "unshare: " << std::strerror(errno);
    // And its homes are the test's own.
    if (!hideTheMachinesHomes()) GTEST_SKIP() << kNoPrivateMounts;
    useACopyOfEtc(dir_);
    makeHostileHomes();
    run({kIp, "link", "set", "lo", "up"});
    run({kIp, "netns", "add", outside_});
    made_ = true;
    run({kIp, "link", "add", "cs-laptop", "type", "veth", "peer", "name", "cs-outside", "netns",
         outside_});
    run({kIp, "addr", "add", "10.99.0.2/24", "dev", "cs-laptop"});
    run({kIp, "-6", "addr", "add", "fd99::2/64", "dev", "cs-laptop", "nodad"});
    run({kIp, "link", "set", "cs-laptop", "up"});
    run({kIp, "route", "add", "default", "via", kRouter});
    run({kIp, "-6", "route", "add", "default", "via", kRouterV6});
    inOutside({kIp, "link", "set", "lo", "up"});
    inOutside({kIp, "addr", "add", "10.99.0.1/24", "dev", "cs-outside"});
    inOutside({kIp, "-6", "addr", "add", "fd99::1/64", "dev", "cs-outside", "nodad"});
    for (const auto* address : {kStranger, kPublicResolver}) {
      inOutside({kIp, "addr", "add", std::string(address) + "/32", "dev", "cs-outside"});
    }
    inOutside({kIp, "-6", "addr", "add", std::string(kPublicResolverV6) + "/128", "dev",
               "cs-outside", "nodad"});
    inOutside({kIp, "link", "set", "cs-outside", "up"});
    startOutsideServices();
  }

  void TearDown() override {
    if (agent_) agent_->stop();
    if (collector_) collector_->stop();
    outsidePrograms_.clear();  // before their namespace goes
    if (made_) (void)runCommand(kIp, {"netns", "del", outside_});
  }

  void inOutside(std::vector<std::string> command) {
    command.insert(command.begin(), {kIp, "netns", "exec", outside_});
    run(command);
  }

  void startInOutside(const std::string& name, std::vector<std::string> command) {
    command.insert(command.begin(), {"netns", "exec", outside_});
    outsidePrograms_.push_back(
        std::make_unique<ChildProcess>(kIp, command, dir_.file(name + ".log")));
  }

  void startOutsideServices() {
    startInOutside("dnsmasq",
                   {kDnsmasq, "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                    "--pid-file=", "--bind-interfaces", "--listen-address=10.99.0.1",
                    "--listen-address=fd99::1", std::string("--listen-address=") + kStranger,
                    std::string("--address=/") + kCasino + "/" + kCasinoAddress,
                    std::string("--address=/allowed.example/") + kAllowedAddress,
                    "--address=/rebind.example/127.0.0.2"});
    for (const auto& [address, port] : std::vector<std::pair<std::string, std::string>>{
             {kPublicResolver, "443"},
             {kPublicResolverV6, "443"},
             {kStranger, "853"},
             {kStranger, "1080"}}) {  // where a proxy would be; it logs every connection
      startInOutside("http-" + address + "-" + port,
                     {kPython, "-m", "http.server", "--bind", address, port});
    }
    ASSERT_TRUE(waitFor(
        [&] {
          return askAsChild(kStranger).find(kCasinoAddress) != std::string::npos &&
                 reachesAsChild(kPublicResolver, "443") &&
                 reachesAsChild(kPublicResolverV6, "443") && reachesAsChild(kStranger, "853");
        },
        20s))
        << "the outside's services did not answer";
  }

  // The agent enrolled to the collector, whose club list puts the casino under gambling (the
  // seeded profile blocks it), forwarding to the club router; once the filter answers, the
  // lock-down is in place.
  void startAgent() {
    collector_ = std::make_unique<Collector>(dir_);
    collector_->start();
    const auto imported = ConsoleClient(*collector_).importClubList("gambling", kCasino);
    ASSERT_EQ(imported.status, 201) << imported.body;
    agent_ = std::make_unique<Agent>(dir_);
    const auto enrolled = agent_->enrol(*collector_);
    ASSERT_EQ(enrolled.status, 0) << enrolled.output;
    agent_->start({"dns.enabled=true", "dns.port=53", "dns.listen_address=127.0.0.1",
                   std::string("dns.upstreams=") + kRouter, "dns.take_over_resolver=false",
                   "policy.refresh_interval=1", "protection.check_interval=1", "upload.interval=1",
                   "notices.allowed_users=" + currentUserName(), "history.scan_interval=1",
                   "heartbeat.interval=1", "browser.managed_policies=true",
                   "blockpage.enabled=true"});
    ASSERT_TRUE(waitFor([&] { return firstAddress(53, kCasino) == "127.0.0.2"; }, 30s))
        << agent_->output();
    ASSERT_TRUE(lockdownInPlace()) << agent_->output();
  }

  [[nodiscard]] static bool lockdownInPlace() {
    return runCommand(kNft, {"list", "table", "inet", "clubsafe"}).status == 0;
  }

  // What the stand-in where a proxy would be has seen: a line for each connection.
  [[nodiscard]] std::string proxyLog() const {
    return readFile(dir_.file(std::string("http-") + kStranger + "-1080.log"));
  }

  // How many events of `type` the collector holds from the account `uid`.
  [[nodiscard]] std::size_t eventsFrom(const std::string& type, std::uint32_t uid) const {
    return queryDatabase(collector_->database(),
                         "SELECT 1 FROM events_as_text WHERE type = ? AND os_user = ?",
                         {type, std::to_string(uid)})
        .size();
  }

  [[nodiscard]] std::size_t heartbeats() const {
    return queryDatabase(collector_->database(),
                         "SELECT 1 FROM events_as_text WHERE type = 'heartbeat'")
        .size();
  }

  // The tamper events of `kind` the collector holds.
  [[nodiscard]] std::size_t tamperEvents(const std::string& kind) const {
    return queryDatabase(collector_->database(),
                         "SELECT 1 FROM events_as_text WHERE type = 'tamper' AND "
                         "json_extract(payload, '$.kind') = ?",
                         {kind})
        .size();
  }

  // Every way out to another resolver, as the young person's account; each is refused.
  void expectEveryWayOutRefused() {
    EXPECT_EQ(askAsChild(kStranger).find(kCasinoAddress), std::string::npos) << "UDP port 53";
    EXPECT_EQ(askAsChild(kStranger, {"+tcp"}).find(kCasinoAddress), std::string::npos)
        << "TCP port 53";
    EXPECT_EQ(askAsChild(kRouterV6).find(kCasinoAddress), std::string::npos)
        << "the router itself, over IPv6";
    EXPECT_EQ(askAsChild(kRouter).find(kCasinoAddress), std::string::npos)
        << "the router itself, over IPv4";
    EXPECT_FALSE(reachesAsChild(kStranger, "853")) << "port 853 (DNS over TLS)";
    EXPECT_FALSE(reachesAsChild(kPublicResolver, "443")) << "1.1.1.1 over HTTPS's port";
    EXPECT_FALSE(reachesAsChild(kPublicResolverV6, "443")) << "Cloudflare over IPv6";
  }

  // The agent still filters and forwards: the casino gets the block answer, an allowed name its
  // address from the router through the lock-down, and a rebound name no private address.
  void expectFilteringGoesOn() {
    EXPECT_EQ(firstAddress(53, kCasino), "127.0.0.2");
    EXPECT_EQ(firstAddress(53, "allowed.example"), kAllowedAddress);
    EXPECT_NE(firstAddress(53, "rebind.example"), "127.0.0.2");
  }

  TempDir dir_;
  std::string outside_ = "clubsafe-outside-" + std::to_string(::getpid());
  bool made_ = false;
  std::vector<std::unique_ptr<ChildProcess>> outsidePrograms_;
  std::unique_ptr<Collector> collector_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(YoungPersonsToolkitTest, EveryAttemptFailsWhileTheAgentFiltersAndRecords) {
  // Without the agent every way out works: the refusals below are the lock-down's.
  EXPECT_NE(askAsChild(kStranger, {"+tcp"}).find(kCasinoAddress), std::string::npos);
  EXPECT_NE(askAsChild(kRouterV6).find(kCasinoAddress), std::string::npos);
  const auto proxy = std::string("socks5://") + kStranger + ":1080";
  (void)openThroughProxy(proxy, "http://allowed.example/");
  EXPECT_FALSE(proxyLog().empty()) << "without the policies Chromium uses the proxy";

  startAgent();
  expectEveryWayOutRefused();
  expectFilteringGoesOn();

  // Signing in as a young adult without being on the club's list of members is refused, and
  // the filter stays as it was.
  NoticeConnection notice(agent_->noticeSocket());
  Poco::JSON::Object hello;
  hello.set("type", "hello");
  ASSERT_TRUE(notice.ask(hello)->getValue<bool>("ok"));
  Poco::JSON::Object signIn;
  signIn.set("type", "sign_in");
  signIn.set("name", "Zz Anyone");
  signIn.set("age_band", "18-25");
  const auto refused = notice.ask(signIn);
  EXPECT_FALSE(refused->getValue<bool>("ok"));
  EXPECT_NE(refused->optValue<std::string>("error", "").find("ask a youth worker"),
            std::string::npos)
      << refused->optValue<std::string>("error", "");
  expectFilteringGoesOn();

  // Chromium started with a proxy ignores it under the agent's policies: the name goes through
  // the filter and the block page says why.
  const auto logged = proxyLog().size();
  const auto seen = openThroughProxy(proxy, std::string("http://") + kCasino + "/");
  EXPECT_TRUE(seen->getValue<bool>("loaded"));
  EXPECT_NE(seen->getValue<std::string>("text").find("This site is blocked"), std::string::npos)
      << seen->getValue<std::string>("text");
  EXPECT_EQ(proxyLog().size(), logged) << proxyLog();

  // Root flushes every rule (as a firewall reload does): the table is back within seconds and
  // the collector hears of it.
  run({kNft, "flush", "ruleset"});
  ASSERT_TRUE(waitFor([&] { return lockdownInPlace(); }, 10s)) << agent_->output();
  expectEveryWayOutRefused();
  EXPECT_TRUE(waitFor([&] { return tamperEvents("outbound_lockdown_removed") == 1; }, 60s))
      << agent_->output();
  expectFilteringGoesOn();

  // The hostile home: the other member's visits arrive as theirs, none as the young person's
  // through the borrowed profile, and the endless history neither stops the agent nor its
  // heartbeats.
  EXPECT_TRUE(waitFor([&] { return eventsFrom("browser_visit", kOtherUid) == 2; }, 30s))
      << agent_->output();
  EXPECT_EQ(eventsFrom("browser_visit", kChildUid), 0U);
  EXPECT_NE(agent_->output().find("endless.default/places.sqlite is not laid out as"),
            std::string::npos)
      << "the endless history was looked at and refused";
  const auto before = heartbeats();
  EXPECT_TRUE(waitFor([&] { return heartbeats() >= before + 3; }, 30s)) << agent_->output();
  expectFilteringGoesOn();

  // A clean stop takes the table away: the laptop's network is as it was.
  agent_->stop();
  agent_.reset();
  EXPECT_FALSE(lockdownInPlace());
  EXPECT_NE(askAsChild(kStranger).find(kCasinoAddress), std::string::npos);
}

}  // namespace
}  // namespace clubsafe::testing
