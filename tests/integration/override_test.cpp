// F7 with the real binaries: a worker's unlock sent on the agent's notice socket (as the notice
// program sends it) opens a blocked site in the agent's DNS filter, survives a restart of the
// agent, reaches the collector as an override event, and ends by itself; illegal content is
// refused. dnsmasq upstream and dig as the client (skipped without them).
#include "tests/integration/dns/dns_tools.hpp"
#include "tests/integration/notice_connection.hpp"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <pwd.h>

#include <sstream>
#include <tuple>

namespace clubsafe::testing {
namespace {

using std::chrono::steady_clock;

constexpr const char* kPin = "246810";

Poco::JSON::Object overrideRequest(const std::string& scope, const std::string& target,
                                   const std::string& pin = kPin, std::int64_t minutes = 1) {
  Poco::JSON::Object request;
  request.set("type", "override");
  request.set("pin", pin);
  request.set("scope", scope);
  request.set("target", target);
  request.set("minutes", minutes);
  request.set("reason", "Homework about the history of casinos");
  return request;
}

class OverrideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    dnsmasq_ = std::make_unique<Dnsmasq>(
        dir_, std::vector<std::string>{"--host-record=casino.test,192.0.2.20",
                                       "--host-record=terror.test,192.0.2.22"});
  }

  std::vector<std::string> agentSettings() const {
    return {"dns.enabled=true",
            "dns.port=" + std::to_string(port_),
            "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port()),
            "policy.refresh_interval=1",
            "filter.safe_search=off",
            "dns.block_address_v4=0.0.0.0",
            "blockpage.enabled=false",
            "notices.socket_path=" + socketPath_,
            "notices.allowed_users=" + currentUserName()};
  }

  void startAgent(Agent& agent) const {
    agent.start(agentSettings());
    ASSERT_TRUE(waitFor(
        [&] {
          return agent.output().find("The DNS filter answers on") != std::string::npos &&
                 agent.output().find("is in force") != std::string::npos;
        },
        20s))
        << agent.output();
  }

  std::string address(const std::string& name) const { return firstAddress(port_, name); }

  void post(const ConsoleClient& console, const std::string& path,
            const Poco::JSON::Object& body) const {
    const auto made = console.post(path, toJson(body));
    ASSERT_EQ(made.status, 201) << path << ": " << made.body;
  }

  void importList(const ConsoleClient& console, const std::string& category,
                  const std::string& name) const {
    const auto imported = console.importClubList(category, name + "\n");
    ASSERT_EQ(imported.status, 201) << imported.body;
  }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  std::uint16_t port_ = freeLoopbackPort();
  std::string socketPath_ = dir_.file("notice.sock");
};

TEST_F(OverrideTest, AWorkersUnlockOpensASiteUntilItEndsAndNeverIllegalContent) {
  Collector collector(dir_);
  collector.start();
  const ConsoleClient console(collector);
  Poco::JSON::Object worker;
  worker.set("name", "Jo");
  worker.set("pin", kPin);
  worker.set("reason", "Jo runs the Tuesday session");
  post(console, "/api/console/workers", worker);
  importList(console, "gambling", "casino.test");   // the seeded juniors' profile blocks it
  importList(console, "terrorism", "terror.test");  // blocked for everyone
  Agent agent(dir_);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  startAgent(agent);
  ASSERT_TRUE(waitFor([&] { return address("casino.test") == "0.0.0.0"; }, 15s)) << agent.output();

  NoticeConnection notice(socketPath_);
  Poco::JSON::Object hello;
  hello.set("type", "hello");
  ASSERT_TRUE(notice.ask(hello)->getValue<bool>("ok"));

  // Refused, in the worker's words: illegal content, and a wrong PIN.
  for (const auto& [scope, target, words] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"category", "terrorism", "the law requires us to block it"},
           {"domain", "terror.test", "it is in a category the law requires us to block"}}) {
    const auto reply = notice.ask(overrideRequest(scope, target));
    EXPECT_FALSE(reply->getValue<bool>("ok")) << target;
    EXPECT_NE(reply->optValue<std::string>("error", "").find(words), std::string::npos)
        << reply->optValue<std::string>("error", "");
  }
  EXPECT_FALSE(
      notice.ask(overrideRequest("domain", "casino.test", "135791"))->getValue<bool>("ok"));
  EXPECT_EQ(address("terror.test"), "0.0.0.0");
  EXPECT_EQ(address("casino.test"), "0.0.0.0");

  // One minute of casino.test, kept through a restart of the agent.
  const auto granted = steady_clock::now();
  const auto reply = notice.ask(overrideRequest("domain", "casino.test"));
  ASSERT_TRUE(reply->getValue<bool>("ok")) << reply->optValue<std::string>("error", "");
  EXPECT_EQ(address("casino.test"), "192.0.2.20");
  agent.stop();
  startAgent(agent);
  EXPECT_EQ(address("casino.test"), "192.0.2.20");

  std::vector<std::vector<std::string>> rows;
  EXPECT_TRUE(waitFor(
      [&] {
        rows = queryDatabase(collector.database(),
                             "SELECT payload FROM events_as_text WHERE type = 'override'", {});
        return !rows.empty();
      },
      30s));
  ASSERT_EQ(rows.size(), 1U);
  const auto event = parseObject(rows[0][0]);
  EXPECT_EQ(event->getValue<std::string>("scope"), "domain");
  EXPECT_EQ(event->getValue<std::string>("target"), "casino.test");
  EXPECT_EQ(event->getValue<std::int64_t>("minutes"), 1);
  EXPECT_EQ(event->getValue<std::string>("worker"), "Jo");
  EXPECT_EQ(event->getValue<std::string>("reason"), "Homework about the history of casinos");

  // It ends by itself a minute after it was granted.
  EXPECT_TRUE(waitFor([&] { return address("casino.test") == "0.0.0.0"; }, 90s));
  EXPECT_GE(steady_clock::now() - granted, 59s);
  agent.stop();
}

}  // namespace
}  // namespace clubsafe::testing
