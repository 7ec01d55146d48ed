// Profiles end to end: lists imported and profiles changed on the real collector's console API
// reach the real agent as a policy and an index, and dig through the agent's DNS filter (dnsmasq
// upstream) shows them enforced, then enforced again from the cache with the collector gone.
#include "tests/integration/dns/dns_tools.hpp"

#include "common/crypto.hpp"
#include "common/policy.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <ctime>
#include <sstream>

namespace clubsafe::testing {
namespace {

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr result = new Poco::JSON::Array;
  for (const auto& item : items) result->add(item);
  return result;
}

class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    dnsmasq_ = std::make_unique<Dnsmasq>(
        dir_, std::vector<std::string>{"--host-record=casino.test,192.0.2.20",
                                       "--host-record=terror.test,192.0.2.22"});
  }

  std::vector<std::string> agentSettings() const {
    return {"dns.enabled=true", "dns.port=" + std::to_string(port_),
            "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port()),
            "policy.refresh_interval=1", "filter.safe_search=off"};
  }

  // The first A record of an answer, or its status when there is none.
  std::string address(const std::string& name) const { return firstAddress(port_, name); }

  void importList(const ConsoleClient& console, const std::string& category,
                  const std::string& text) const {
    const auto imported = console.importClubList(category, text);
    ASSERT_EQ(imported.status, 201) << imported.body;
  }

  // Changes the juniors' profile (the default) on the console.
  void changeJuniors(const ConsoleClient& console,
                     const std::function<void(Poco::JSON::Object&)>& change) const {
    const auto profiles = console.get("/api/console/filtering/profiles");
    ASSERT_EQ(profiles.status, 200) << profiles.body;
    auto juniors = parseObject(profiles.body)->getArray("profiles")->getObject(0);
    ASSERT_EQ(juniors->getValue<std::string>("id"), "juniors");
    change(*juniors);
    Poco::JSON::Object body;
    body.set("profile", juniors);
    body.set("reason", "Testing the juniors' profile on a laptop");
    const auto made = console.post("/api/console/filtering/profiles/juniors", toJson(body));
    ASSERT_EQ(made.status, 200) << made.body;
  }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  std::uint16_t port_ = freeLoopbackPort();
};

TEST_F(ProfileTest, TheCollectorsProfilesReachTheFilterChangeItAndStayOffline) {
  Collector collector(dir_);
  collector.start();
  Agent agent(dir_);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  const ConsoleClient console(collector);
  importList(console, "gambling", "casino.test\n");   // the seeded juniors' profile blocks it
  importList(console, "terrorism", "terror.test\n");  // blocked for everyone

  agent.start(agentSettings());
  ASSERT_TRUE(waitFor(
      [&] {
        return agent.output().find("The DNS filter answers on") != std::string::npos &&
               agent.output().find("from the collector is in force") != std::string::npos;
      },
      20s))
      << agent.output();
  EXPECT_NE(agent.output().find("Fetched the domain index"), std::string::npos) << agent.output();

  // The juniors' profile: gambling blocked, strict safe search (the built-in said off).
  EXPECT_EQ(address("casino.test"), "127.0.0.2");
  EXPECT_EQ(address("www.casino.test"), "127.0.0.2");
  EXPECT_EQ(address("terror.test"), "127.0.0.2");
  EXPECT_EQ(address("allowed.test"), "192.0.2.10");
  EXPECT_EQ(address("www.google.com"), "forcesafesearch.google.com.");
  EXPECT_EQ(address("use-application-dns.net"), "NXDOMAIN");

  // What the agent cached is what the collector serves.
  const auto cached = common::parsePolicy(readFile(agent.stateDir() + "/policy.json"));
  ASSERT_TRUE(cached.index.has_value());
  EXPECT_EQ(common::sha256Hex(readFile(agent.stateDir() + "/domains.index")), cached.index->sha256);
  const auto status = agent.status();
  EXPECT_NE(status.output.find("Filtering policy: version " + std::to_string(cached.version) +
                               " from the collector; profile \"juniors\""),
            std::string::npos)
      << status.output;

  // A change on the console reaches the filter: the block list, an allow entry beating a
  // category but not an illegal one, safe search off.
  changeJuniors(console, [](Poco::JSON::Object& juniors) {
    juniors.set("block", array({"allowed.test"}));
    juniors.set("allow", array({"casino.test", "terror.test"}));
    juniors.set("safe_search", "off");
  });
  EXPECT_TRUE(waitFor([&] { return address("allowed.test") == "127.0.0.2"; }, 15s)) << agent.output();
  EXPECT_EQ(address("www.allowed.test"), "127.0.0.2");
  EXPECT_EQ(address("casino.test"), "192.0.2.20");
  EXPECT_EQ(address("terror.test"), "127.0.0.2");
  EXPECT_EQ(address("www.google.com"), "192.0.2.66");

  // Opening hours that exclude now (in the laptop's local time): only the allow list resolves.
  const auto now = std::time(nullptr);
  std::tm local{};
  ASSERT_NE(::localtime_r(&now, &local), nullptr);
  const bool morning = local.tm_hour < 12;
  changeJuniors(console, [&](Poco::JSON::Object& juniors) {
    Poco::JSON::Object::Ptr hours = new Poco::JSON::Object;
    hours->set("days", array({"mon", "tue", "wed", "thu", "fri", "sat", "sun"}));
    hours->set("from", morning ? "13:00" : "01:00");
    hours->set("to", morning ? "14:00" : "02:00");
    Poco::JSON::Array::Ptr schedule = new Poco::JSON::Array;
    schedule->add(hours);
    juniors.set("schedule", schedule);
  });
  EXPECT_TRUE(waitFor([&] { return address("www.google.com") == "127.0.0.2"; }, 15s))
      << agent.output();
  EXPECT_EQ(address("casino.test"), "192.0.2.20");  // on the allow list
  EXPECT_EQ(address("terror.test"), "127.0.0.2");

  // Without the collector, a restarted agent enforces what it cached before answering.
  agent.stop();
  collector.stop();
  agent.start(agentSettings());
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("The DNS filter answers on") != std::string::npos; }, 20s))
      << agent.output();
  EXPECT_NE(agent.output().find("from the cache"), std::string::npos) << agent.output();
  EXPECT_EQ(address("www.google.com"), "127.0.0.2");
  EXPECT_EQ(address("casino.test"), "192.0.2.20");
  EXPECT_EQ(address("terror.test"), "127.0.0.2");
  agent.stop();
}

}  // namespace
}  // namespace clubsafe::testing
