// Enrolment and the first events, through the real binaries on 127.0.0.1.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>

namespace clubsafe::testing {
namespace {

std::int64_t eventCount(const Collector& collector, const std::string& deviceId,
                        const std::string& type) {
  return std::stoll(queryDatabase(
      collector.database(), "SELECT COUNT(*) FROM events_as_text WHERE device_id = ? AND type = ?",
      {deviceId, type})[0][0]);
}

TEST(EndToEnd, AnEnrolledLaptopReportsAndShowsInTheConsole) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  EXPECT_NE(collector.output().find("one-time password: "), std::string::npos);
  EXPECT_NE(collector.output().find("https://127.0.0.1:" + std::to_string(collector.port()) + "/"),
            std::string::npos);

  Agent agent(dir);
  const auto enrolled = agent.enrol(collector, "Laptop 3");
  ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  EXPECT_EQ(enrolled.output.find(agent.deviceSecret()), std::string::npos) << "secret printed";

  // The process list is a real recording source: an application run by a person's account
  // (uid 4242 here, as CI runs as root) must reach the collector. Only programs the desktop
  // offers as applications count; this one is sleep under the name of xterm, whose desktop
  // entry the test set-up installs, as no display is at hand here.
  const bool root = ::geteuid() == 0;
  std::unique_ptr<ChildProcess> personsProgram;
  if (root) {
    const auto program = dir.file("xterm");
    std::filesystem::copy_file("/bin/sleep", program);
    std::filesystem::permissions(program, std::filesystem::perms::owner_all |
                                              std::filesystem::perms::group_exec |
                                              std::filesystem::perms::others_exec);
    std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    personsProgram = std::make_unique<ChildProcess>(
        "/usr/bin/setpriv",
        std::vector<std::string>{"--reuid=4242", "--regid=4242", "--clear-groups", program, "60"},
        dir.file("person.log"));
  }
  agent.start({"heartbeat.interval=0.2", "apps.scan_interval=0.2", "upload.interval=0.1"});
  const auto deviceId = agent.deviceId();
  ASSERT_TRUE(waitFor([&] { return eventCount(collector, deviceId, "heartbeat") >= 2; }, 30s))
      << agent.output();
  if (root) {
    EXPECT_TRUE(waitFor(
        [&] {
          return !queryDatabase(
                      collector.database(),
                      "SELECT 1 FROM events_as_text WHERE device_id = ? AND type = 'app_list' AND "
                      "os_user = '4242' AND payload LIKE '%\"xterm\"%'",
                      {deviceId})
                      .empty();
        },
        10s))
        << agent.output();
  }

  const ConsoleClient console(collector);
  const auto devices = console.get("/api/console/devices");
  ASSERT_EQ(devices.status, 200) << devices.body;
  const auto list = parseObject(devices.body)->getArray("devices");
  ASSERT_EQ(list->size(), 1u);
  const auto device = list->getObject(0);
  EXPECT_EQ(device->getValue<std::string>("id"), deviceId);
  EXPECT_TRUE(device->getValue<bool>("online"));

  const auto status = agent.status();
  EXPECT_EQ(status.status, 0) << status.output;
  EXPECT_NE(status.output.find(deviceId), std::string::npos) << status.output;

  agent.stop();
  collector.stop();
}

TEST(EndToEnd, EnrolmentRefusesAWrongTokenOrFingerprintAndStoresNothing) {
  TempDir dir;
  Collector collector(dir);
  collector.start();
  auto command = collector.makeEnrolCommand();

  auto withReplaced = [&](const std::string& option, const std::string& value) {
    auto changed = command;
    for (std::size_t i = 0; i + 1 < changed.size(); ++i) {
      if (changed[i] == option) changed[i + 1] = value;
    }
    changed.insert(changed.end(), {"--define", "agent.state_dir=" + dir.file("agent")});
    return runCommand(agentBinary(), changed);
  };
  const auto wrongToken = withReplaced("--token", "not-the-token");
  EXPECT_NE(wrongToken.status, 0);
  EXPECT_NE(wrongToken.output.find("token"), std::string::npos) << wrongToken.output;

  const auto wrongFingerprint = withReplaced("--fingerprint", std::string(64, 'a'));
  EXPECT_NE(wrongFingerprint.status, 0);
  EXPECT_NE(wrongFingerprint.output.find("fingerprint"), std::string::npos)
      << wrongFingerprint.output;

  EXPECT_EQ(queryDatabase(collector.database(), "SELECT COUNT(*) FROM devices")[0][0], "0");
  // The real token was not spent by the failed attempts.
  const auto good = withReplaced("--token", command.back());
  EXPECT_EQ(good.status, 0) << good.output;
  EXPECT_EQ(queryDatabase(collector.database(), "SELECT COUNT(*) FROM devices")[0][0], "1");
  collector.stop();
}

}  // namespace
}  // namespace clubsafe::testing
