// The outbox at its limits with the real binaries: the agent's state on a full disk of the
// test's own (an 8 MB tmpfs, root only) while the collector is away, and an event the
// collector refuses as malformed (its test-only setting ingest.test_refuse_marker).
#include "tests/integration/dns/dns_tools.hpp"
#include "tests/integration/notice_connection.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

namespace clubsafe::testing {
namespace {

using std::chrono::steady_clock;

// A size-limited tmpfs mounted on `folder` for the test's life.
class SmallDisk {
 public:
  SmallDisk(std::string folder, const std::string& size) : folder_(std::move(folder)) {
    std::filesystem::create_directories(folder_);
    const auto mounted = runCommand(
        "/usr/bin/mount", {"-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", folder_});
    if (mounted.status != 0) throw std::runtime_error("mount failed: " + mounted.output);
  }
  ~SmallDisk() { (void)runCommand("/usr/bin/umount", {"--lazy", folder_}); }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  [[nodiscard]] std::int64_t freeBytes() const {
    struct statvfs info {};
    if (::statvfs(folder_.c_str(), &info) != 0) return -1;
    return static_cast<std::int64_t>(info.f_bavail) * static_cast<std::int64_t>(info.f_frsize);
  }

  // Writes `file` until the disk is full, as another program filling the laptop's disk would.
  void fillWith(const std::string& file) const {
    std::ofstream out(file, std::ios::binary);
    const std::string block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
    }
  }

 private:
  std::string folder_;
};

std::int64_t number(const Collector& collector, const std::string& sql, const std::string& device) {
  const auto rows = queryDatabase(collector.database(), sql, {device});
  return rows.empty() || rows[0][0].empty() ? 0 : std::stoll(rows[0][0]);
}

// Events the agent's outbox still holds to send (those set aside not counted); -1 while the
// file cannot be read.
std::int64_t waiting(const Agent& agent) {
  try {
    return std::stoll(queryDatabase(agent.stateDir() + "/outbox.db",
                                    "SELECT COUNT(*) FROM events WHERE rejected = 0")[0][0]);
  } catch (const std::exception&) {
    return -1;
  }
}

// The highest sequence the agent gave so far; 0 while its outbox is not there yet.
std::int64_t lastSequence(const Agent& agent) {
  try {
    return agent.lastCommittedSequence();
  } catch (const std::exception&) {
    return 0;
  }
}

bool outboxHolds(const Agent& agent, const std::string& where) {
  try {
    return !queryDatabase(agent.stateDir() + "/outbox.db", "SELECT 1 FROM events WHERE " + where)
                .empty();
  } catch (const std::exception&) {
    return false;
  }
}

std::int64_t linesWith(const std::string& log, const std::string& word) {
  std::istringstream lines(log);
  std::int64_t count = 0;
  for (std::string line; std::getline(lines, line);) {
    count += line.find(word) != std::string::npos ? 1 : 0;
  }
  return count;
}

const std::vector<std::string> kQuietAgent{"heartbeat.interval=3600", "apps.scan_interval=3600",
                                           "upload.interval=0.05", "upload.backoff_initial=0.05",
                                           "upload.backoff_max=0.5"};

// Sends what is left with a quiet agent and returns the highest sequence it ever gave.
// The hosts file is the test's own, so the restart reports no change to it.
std::int64_t drainAndStop(Agent& agent, const std::string& hostsFile) {
  agent.stop();
  auto quiet = kQuietAgent;
  quiet.push_back("tamper.hosts_file=" + hostsFile);
  agent.start(quiet);
  EXPECT_TRUE(waitFor([&] { return waiting(agent) == 0; }, 60s)) << agent.output();
  agent.stop();
  return agent.lastCommittedSequence();
}

TEST(OutboxLimits, AFullDiskKeepsEveryNeverDroppedEventAndCountsEachDroppedOneInOneGap) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, to mount an 8 MB tmpfs for the agent's state";
  if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
  TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  SmallDisk disk(agent.stateDir(), "8m");
  // The laptop's other files, removed again at the end to make room.
  const auto ballast = agent.stateDir() + "/other-files";
  {
    std::ofstream out(ballast, std::ios::binary);
    const std::string block(std::size_t{2} << 20, 'x');
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const auto device = agent.deviceId();
  Dnsmasq dnsmasq(dir, {"--host-record=club.test,192.0.2.30"});
  const auto dnsPort = freeLoopbackPort();
  const auto hosts = dir.file("hosts");
  std::ofstream(hosts) << "127.0.0.1 localhost\n";
  const std::vector<std::string> busy{"heartbeat.interval=0.002",
                                      "apps.scan_interval=3600",
                                      "tamper.hosts_file=" + hosts,
                                      "tamper.check_interval=0.2",
                                      "dns.enabled=true",
                                      "dns.port=" + std::to_string(dnsPort),
                                      "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq.port()),
                                      "upload.interval=0.05",
                                      "upload.backoff_initial=0.05",
                                      "upload.backoff_max=0.5"};
  agent.start(busy);
  ASSERT_TRUE(waitFor([&] { return agent.output().find("is in force") != std::string::npos; }, 30s))
      << agent.output();
  collector.stop();

  // The outbox fills the disk by itself, then stops growing: heartbeats push out heartbeats.
  ASSERT_TRUE(waitFor([&] { return outboxHolds(agent, "type = 'outbox_gap'"); }, 120s))
      << agent.output();
  std::this_thread::sleep_for(2s);
  EXPECT_GT(disk.freeBytes(), 256 * 1024) << "the outbox leaves its margin free";
  EXPECT_TRUE(std::filesystem::exists(agent.stateDir() + "/outbox.reserve"));

  // Another program takes the rest: the reserve is given up, and tamper evidence still fits.
  disk.fillWith(agent.stateDir() + "/filler");
  std::ofstream(hosts, std::ios::app) << "192.0.2.99 bank.example\n";
  ASSERT_TRUE(waitFor([&] { return outboxHolds(agent, "body LIKE '%hosts_changed%'"); }, 30s))
      << agent.output();
  EXPECT_FALSE(std::filesystem::exists(agent.stateDir() + "/outbox.reserve"));
  EXPECT_EQ(firstAddress(dnsPort, "club.test"), "192.0.2.30") << "filtering still answers";
  std::this_thread::sleep_for(2s);

  // The laptop's owner frees space; then the collector comes back.
  std::filesystem::remove(agent.stateDir() + "/filler");
  std::filesystem::remove(ballast);
  ASSERT_TRUE(
      waitFor([&] { return agent.output().find("has room again") != std::string::npos; }, 10s))
      << agent.output();
  const auto backlog = waiting(agent);
  const auto started = steady_clock::now();
  collector.start();
  ASSERT_TRUE(waitFor([&] { return waiting(agent) < 200; }, 60s)) << agent.output();
  const auto drainTime = steady_clock::now() - started;
  const auto log = agent.output();
  const auto committed = drainAndStop(agent, hosts);
  collector.stop();

  const auto stored =
      number(collector, "SELECT COUNT(*) FROM events_as_text WHERE device_id = ?", device);
  const auto distinct = number(
      collector, "SELECT COUNT(DISTINCT seq) FROM events_as_text WHERE device_id = ?", device);
  const auto gaps = number(
      collector, "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND type = 'outbox_gap'",
      device);
  const auto dropped = number(collector,
                              "SELECT SUM(json_extract(payload, '$.dropped')) FROM events_as_text "
                              "WHERE device_id = ? AND type = 'outbox_gap'",
                              device);
  EXPECT_EQ(stored, distinct) << "no sequence number twice";
  EXPECT_EQ(number(collector, "SELECT MAX(seq) FROM events_as_text WHERE device_id = ?", device),
            committed);
  EXPECT_EQ(gaps, 1);
  // Every dropped event had a sequence number: the numbers missing are the gap's count.
  EXPECT_EQ(dropped, committed - stored);
  EXPECT_GT(dropped, 500);
  for (const auto* kind : {"outbox_overflow", "hosts_changed"}) {
    EXPECT_EQ(
        number(collector,
               "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND type = 'tamper' AND "
               "json_extract(payload, '$.kind') = '" +
                   std::string(kind) + "'",
               device),
        1)
        << kind;
  }
  // A few lines about the disk, none per event.
  const auto diskLines = linesWith(log, "disk");
  EXPECT_LE(diskLines, 4) << log;
  EXPECT_EQ(linesWith(log, "could not be saved"), 0) << log;
  const auto logLines = std::count(log.begin(), log.end(), '\n');
  std::cout << "[ figures  ] " << committed << " events committed, " << stored
            << " at the collector, " << dropped << " dropped and counted in " << gaps
            << " gap event(s); " << backlog << " waiting when the collector came back, drained "
            << "below 200 in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(drainTime).count()
            << " ms; the agent's log: " << logLines << " lines, " << diskLines
            << " about the disk, " << log.size() << " bytes\n";
}

TEST(OutboxLimits, AnEventTheCollectorRefusesIsSetAsideAndReportedWhileTheRestArrive) {
  constexpr const char* kMarker = "refuse-marker-7f3a";
  TempDir dir;
  Collector collector(dir, {std::string("ingest.test_refuse_marker=") + kMarker});
  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const auto device = agent.deviceId();
  collector.stop();

  const auto hosts = dir.file("hosts");
  std::ofstream(hosts) << "127.0.0.1 localhost\n";
  agent.start({"heartbeat.interval=0.01", "apps.scan_interval=3600", "tamper.hosts_file=" + hosts,
               "tamper.check_interval=0.2", "upload.interval=0.05", "upload.backoff_initial=0.05",
               "upload.backoff_max=0.5"});
  ASSERT_TRUE(waitFor([&] { return lastSequence(agent) > 50; }, 30s)) << agent.output();
  // The hosts check reports the new name in a tamper event, which the collector will refuse.
  std::ofstream(hosts, std::ios::app) << "192.0.2.7 " << kMarker << ".test\n";
  ASSERT_TRUE(waitFor(
      [&] { return outboxHolds(agent, std::string("body LIKE '%") + kMarker + "%'"); }, 30s))
      << agent.output();
  const auto refused = std::stoll(queryDatabase(agent.stateDir() + "/outbox.db",
                                                "SELECT seq FROM events WHERE body LIKE ?",
                                                {std::string("%") + kMarker + "%"})[0][0]);
  ASSERT_TRUE(waitFor([&] { return lastSequence(agent) > refused + 50; }, 30s));

  collector.start();
  const auto reported = [&] {
    return number(collector,
                  "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND type = 'rejected'",
                  device);
  };
  ASSERT_TRUE(waitFor([&] { return reported() > 0; }, 30s)) << agent.output();
  const auto committed = drainAndStop(agent, hosts);
  collector.stop();

  EXPECT_EQ(reported(), 1);
  const auto report = queryDatabase(collector.database(),
                                    "SELECT json_extract(payload, '$.count'), "
                                    "json_extract(payload, '$.sequences[0]'), "
                                    "json_extract(payload, '$.reason') FROM events_as_text "
                                    "WHERE device_id = ? AND type = 'rejected'",
                                    {device})[0];
  EXPECT_EQ(report[0], "1");
  EXPECT_EQ(report[1], std::to_string(refused));
  EXPECT_NE(report[2].find("ingest.test_refuse_marker"), std::string::npos) << report[2];
  // Everything else arrived; only the refused event is missing, kept aside on the laptop.
  const auto stored =
      number(collector, "SELECT COUNT(*) FROM events_as_text WHERE device_id = ?", device);
  EXPECT_EQ(stored, committed - 1);
  EXPECT_EQ(number(collector,
                   "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND seq = " +
                       std::to_string(refused),
                   device),
            0);
  EXPECT_EQ(queryDatabase(agent.stateDir() + "/outbox.db",
                          "SELECT seq FROM events WHERE rejected = 1")[0][0],
            std::to_string(refused));
  EXPECT_EQ(waiting(agent), 0);
  std::cout << "[ figures  ] " << committed << " events committed, " << stored
            << " at the collector, event " << refused << " set aside and reported\n";
}

// The block page's form token for `site`, as a browser reads it from the page.
std::string blockPageToken(std::uint16_t port, const std::string& site) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPRequest::HTTP_1_1);
  request.setHost(site, port);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string page;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), page);
  std::smatch token;
  if (!std::regex_search(page, token, std::regex(R"re(name="token" value="([^"]+)")re"))) {
    throw std::runtime_error("no form token on the block page: " + page);
  }
  return token[1];
}

// `count` worry reports posted to the block page by Debian's curl (one connection) as the
// account `uid` (setpriv; as this test's account when not root); the HTTP status of each.
std::vector<std::string> postWorries(const TempDir& dir, std::uint16_t port,
                                     const std::string& site, std::uint32_t uid, int count) {
  const auto token = blockPageToken(port, site);
  const auto config = dir.file("curl-" + std::to_string(uid) + ".conf");
  {
    std::ofstream out(config);
    for (int i = 0; i < count; ++i) {
      if (i > 0) out << "next\n";
      out << "url = \"http://127.0.0.1:" << port << "/worry\"\n"
          << "header = \"Host: " << site << ":" << port << "\"\n"
          << "data = \"token=" << token << "&about=bullying&message=worry+" << i << "\"\n"
          << "output = \"/dev/null\"\nwrite-out = \"%{http_code}\\n\"\nsilent\n";
    }
  }
  std::filesystem::permissions(config, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const auto posted = ::geteuid() == 0
                          ? runAsAccount(uid, "/usr/bin/curl", {"--config", config}, 120s)
                          : runCommand("/usr/bin/curl", {"--config", config}, 120s);
  std::vector<std::string> statuses;
  std::istringstream lines(posted.output);
  for (std::string line; std::getline(lines, line);) statuses.push_back(line);
  return statuses;
}

std::int64_t outboxNumber(const Agent& agent, const std::string& sql) {
  const auto rows = queryDatabase(agent.stateDir() + "/outbox.db", sql);
  return rows.empty() || rows[0][0].empty() ? 0 : std::stoll(rows[0][0]);
}

// Issue 14, item 5: with the collector away and a 2 MB outbox, one account sent 2,000 worry
// reports through the notice socket in 4 s and another 500 through the block page; the outbox
// grew to 17.4 MB and another user's waiting events were dropped to make room. Now each account
// has its allowance, the rest are folded into one event with their count, and nothing waiting
// is pushed out.
TEST(OutboxLimits, AFloodOfWorryReportsIsFoldedKeepsTheOutboxInItsCapAndPushesNothingOut) {
  if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, to post from the accounts 4242 and 4243";
  constexpr std::int64_t kCap = std::int64_t{2} * 1024 * 1024;
  TempDir dir;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const auto device = agent.deviceId();
  collector.stop();
  Dnsmasq dnsmasq(dir, {"--host-record=club.test,192.0.2.30"});
  const auto dnsPort = freeLoopbackPort();
  const auto pagePort = freeLoopbackPort();
  const auto settings =
      std::vector<std::string>{"outbox.max_bytes=" + std::to_string(kCap),
                               "dns.enabled=true",
                               "dns.port=" + std::to_string(dnsPort),
                               "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq.port()),
                               "dns.record_interval=1",
                               "heartbeat.interval=3600",
                               "apps.scan_interval=3600",
                               "blockpage.enabled=true",
                               "blockpage.address=127.0.0.1",
                               "blockpage.port=" + std::to_string(pagePort),
                               "notices.socket_path=" + dir.file("notice.sock"),
                               "notices.allowed_users=" + currentUserName(),
                               "upload.interval=0.05",
                               "upload.backoff_initial=0.05",
                               "upload.backoff_max=0.5"};
  agent.start(settings);
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("The DNS filter answers on") != std::string::npos; }, 30s))
      << agent.output();

  // Waiting before the flood: the laptop's own low-priority events, the first to go if anything
  // made room.
  for (int i = 0; i < 20; ++i) (void)dig(dnsPort, "n" + std::to_string(i) + ".club.test", "A");
  const auto decisions = "SELECT COUNT(*) FROM events WHERE type = 'dns_decision'";
  ASSERT_TRUE(waitFor([&] { return outboxNumber(agent, decisions) >= 20; }, 30s)) << agent.output();
  const auto waitingBefore =
      queryDatabase(agent.stateDir() + "/outbox.db", "SELECT seq FROM events WHERE droppable = 1");

  const auto started = steady_clock::now();
  NoticeConnection notice(dir.file("notice.sock"));
  Poco::JSON::Object hello;
  hello.set("type", "hello");
  ASSERT_TRUE(notice.ask(hello)->getValue<bool>("ok"));
  for (int i = 0; i < 2000; ++i) {
    Poco::JSON::Object worry;
    worry.set("type", "report_worry");
    worry.set("about", "bullying");
    worry.set("message", "socket worry " + std::to_string(i));
    ASSERT_TRUE(notice.ask(worry)->getValue<bool>("ok")) << i;
  }
  const auto socketTime = steady_clock::now() - started;
  const auto statuses = postWorries(dir, pagePort, "flood.test", 4242, 500);
  EXPECT_EQ(statuses, std::vector<std::string>(500, "200"));  // everyone is thanked
  // Someone else in distress at the same time still gets through at once.
  EXPECT_EQ(postWorries(dir, pagePort, "help.test", 4243, 1), std::vector<std::string>{"200"});
  EXPECT_EQ(outboxNumber(agent,
                         "SELECT COUNT(*) FROM events WHERE type = 'worry_report' AND "
                         "body LIKE '%\"os_user\":\"4243\"%'"),
            1);

  // The outbox is well inside its cap, and everything that waited before still waits.
  EXPECT_LE(outboxNumber(agent, "SELECT SUM(bytes) FROM events"), kCap);
  EXPECT_LT(static_cast<std::int64_t>(std::filesystem::file_size(agent.stateDir() + "/outbox.db")),
            kCap);
  EXPECT_EQ(outboxNumber(agent, "SELECT COUNT(*) FROM events WHERE type = 'outbox_gap'"), 0);
  for (const auto& row : waitingBefore) {
    EXPECT_EQ(outboxNumber(agent, "SELECT COUNT(*) FROM events WHERE seq = " + row[0]), 1)
        << "event " << row[0] << " was pushed out";
  }

  // The agent stops with the folded reports written; the collector comes back and gets them.
  agent.stop();
  collector.start();
  agent.start(settings);
  const auto arrived = [&](const std::string& user) {
    return number(collector,
                  "SELECT SUM(COALESCE(json_extract(payload, '$.count'), 1)) FROM events_as_text "
                  "WHERE device_id = ? AND type = 'worry_report' AND os_user = '" +
                      user + "'",
                  device);
  };
  EXPECT_TRUE(
      waitFor([&] { return arrived(currentUserName()) == 2000 && arrived("4242") == 500; }, 60s))
      << agent.output();
  for (const auto& [user, folded] : std::vector<std::pair<std::string, std::int64_t>>{
           {currentUserName(), 1990}, {"4242", 490}}) {
    EXPECT_EQ(number(collector,
                     "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND "
                     "type = 'worry_report' AND os_user = '" +
                         user + "'",
                     device),
              11)
        << user;
    EXPECT_EQ(number(collector,
                     "SELECT json_extract(payload, '$.count') FROM events_as_text WHERE "
                     "device_id = ? AND type = 'worry_report' AND os_user = '" +
                         user + "' AND json_extract(payload, '$.count') IS NOT NULL",
                     device),
              folded)
        << user;
  }
  EXPECT_EQ(arrived("4243"), 1);
  for (const auto& row : waitingBefore) {
    EXPECT_EQ(number(collector,
                     "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND seq = " + row[0],
                     device),
              1)
        << "event " << row[0];
  }
  agent.stop();
  std::cout << "[ figures  ] 2,000 worry reports on the socket in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(socketTime).count()
            << " ms and 500 on the block page became 11 events each; " << waitingBefore.size()
            << " events waiting before the flood all arrived\n";
}

}  // namespace
}  // namespace clubsafe::testing
