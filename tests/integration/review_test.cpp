// C7 with the real binaries: a young person's review request, sent on the agent's notice socket
// as the block page's notification sends it, appears in the collector's review queue; allowing
// the site through the console API changes the agent's DNS answer for it; the timed allow ends
// by itself (the collector's own timer publishes the policy without it); a site of an
// illegal-content list is refused. dnsmasq upstream and dig as the client (skipped without them).
#include "tests/integration/dns/dns_tools.hpp"
#include "tests/integration/notice_connection.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

using std::chrono::steady_clock;

constexpr const char* kWords = "It is for my maths homework on probability";

class ReviewTest : public ::testing::Test {
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
            "upload.interval=1",
            "filter.safe_search=off",
            "dns.block_address_v4=0.0.0.0",
            "blockpage.enabled=false",
            "notices.socket_path=" + socketPath_,
            "notices.allowed_users=" + currentUserName()};
  }

  std::string address(const std::string& name) const { return firstAddress(port_, name); }

  // The queue's item for `domain`, or null.
  static Poco::JSON::Object::Ptr queueItem(const ConsoleClient& console,
                                           const std::string& domain) {
    const auto answer = console.get("/api/console/review?days=1");
    if (answer.status != 200) return nullptr;
    const auto items = parseObject(answer.body)->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto item = items->getObject(static_cast<unsigned>(i));
      if (item->getValue<std::string>("domain") == domain) return item;
    }
    return nullptr;
  }

  static HttpResult decide(const ConsoleClient& console, const std::string& domain,
                           const std::string& category, std::optional<int> minutes) {
    Poco::JSON::Object body;
    body.set("domain", domain);
    body.set("category", category);
    body.set("decision", "allow");
    body.set("profile", "all");
    if (minutes) body.set("minutes", *minutes);
    body.set("reason", "Maths homework: the youth worker checked the site");
    return console.post("/api/console/review/decisions", toJson(body));
  }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  std::uint16_t port_ = freeLoopbackPort();
  std::string socketPath_ = dir_.file("notice.sock");
};

TEST_F(ReviewTest, ARequestIsAllowedFromTheQueueUntilItsTimeEndsAndIllegalContentNever) {
  Collector collector(dir_, {"review.check_interval=1"});
  collector.start();
  const ConsoleClient console(collector);
  ASSERT_EQ(console.importClubList("gambling", "casino.test\n").status, 201);
  ASSERT_EQ(console.importClubList("terrorism", "terror.test\n").status, 201);
  Agent agent(dir_);
  ASSERT_EQ(agent.enrol(collector).status, 0);
  agent.start(agentSettings());
  ASSERT_TRUE(waitFor([&] { return address("casino.test") == "0.0.0.0"; }, 20s)) << agent.output();

  NoticeConnection notice(socketPath_);
  Poco::JSON::Object hello;
  hello.set("type", "hello");
  ASSERT_TRUE(notice.ask(hello)->getValue<bool>("ok"));
  Poco::JSON::Object ask;
  ask.set("type", "review_request");
  ask.set("domain", "casino.test");
  ask.set("message", kWords);
  ASSERT_TRUE(notice.ask(ask)->getValue<bool>("ok")) << agent.output();

  // In the queue with the young person's words, the laptop and the category.
  Poco::JSON::Object::Ptr item;
  ASSERT_TRUE(waitFor([&] { return (item = queueItem(console, "casino.test")) != nullptr; }, 30s))
      << collector.output();
  const auto requests = item->getArray("requests");
  ASSERT_EQ(requests->size(), 1U);
  EXPECT_EQ(requests->getObject(0)->getValue<std::string>("message"), kWords);
  EXPECT_EQ(item->getArray("laptops")->getElement<std::string>(0),
            queryDatabase(collector.database(), "SELECT name FROM devices")[0][0]);
  EXPECT_EQ(item->getArray("categories")->getElement<std::string>(0), "gambling");

  // Illegal content is refused, by its list and by the category named, changing nothing.
  const auto policyBefore =
      queryDatabase(collector.database(), "SELECT MAX(version) FROM policy_documents")[0][0];
  for (const auto& [domain, category] : std::vector<std::pair<std::string, std::string>>{
           {"terror.test", ""}, {"casino.test", "iwf"}}) {
    const auto refused = decide(console, domain, category, 60);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("the law requires us to block"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(queryDatabase(collector.database(), "SELECT MAX(version) FROM policy_documents")[0][0],
            policyBefore);
  EXPECT_EQ(queryDatabase(collector.database(), "SELECT COUNT(*) FROM review_decisions")[0][0],
            "0");

  // Allowed for a minute: the agent resolves it, and the site leaves the queue.
  const auto allowed = steady_clock::now();
  const auto made = decide(console, "casino.test", "gambling", 1);
  ASSERT_EQ(made.status, 201) << made.body;
  const auto decision = parseObject(made.body);
  EXPECT_FALSE(decision->isNull("policy_version"));
  EXPECT_TRUE(waitFor([&] { return address("casino.test") == "192.0.2.20"; }, 20s))
      << agent.output();
  EXPECT_EQ(address("terror.test"), "0.0.0.0");
  EXPECT_EQ(queueItem(console, "casino.test"), nullptr);
  const auto audit = queryDatabase(
      collector.database(),
      "SELECT actor, reason FROM audit_log WHERE action = 'review.allow' AND target = ?",
      {"casino.test"});
  ASSERT_EQ(audit.size(), 1U);
  EXPECT_EQ(audit[0][1], "Maths homework: the youth worker checked the site");

  // It ends by itself: the collector takes the allow entry out, the agent blocks again.
  EXPECT_TRUE(waitFor([&] { return address("casino.test") == "0.0.0.0"; }, 90s));
  EXPECT_GE(steady_clock::now() - allowed, 59s);
  const auto ended = queryDatabase(collector.database(),
                                   "SELECT actor FROM audit_log WHERE action = 'review.allow_end'");
  ASSERT_EQ(ended.size(), 1U);
  EXPECT_EQ(ended[0][0], "system");
  const auto past = parseObject(console.get("/api/console/review/decisions").body);
  ASSERT_EQ(past->getArray("decisions")->size(), 1U);
  EXPECT_FALSE(past->getArray("decisions")->getObject(0)->isNull("ended_at"));
  agent.stop();
}

}  // namespace
}  // namespace clubsafe::testing
