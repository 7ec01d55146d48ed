// DNS decision records through a kill of the agent: the real clubsafe-agent answering dig through
// dnsmasq, the real collector adding the partial events of each minute up in dns_minutes. What
// was counted before the agent's last write (every dns.record_interval, 10 s by default) arrives.
#include "tests/integration/dns/dns_tools.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <thread>

namespace clubsafe::testing {
namespace {

class DnsRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    dnsmasq_ = std::make_unique<Dnsmasq>(
        dir_, std::vector<std::string>{"--host-record=first.test,192.0.2.31",
                                       "--host-record=second.test,192.0.2.32",
                                       "--host-record=third.test,192.0.2.33"});
    collector_.start();
    const auto enrolled = agent_.enrol(collector_);
    ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  }

  // The agent's filter on a free port, every other setting at its default.
  void startFilteringAgent() {
    agent_.start({"dns.enabled=true", "dns.port=" + std::to_string(port_),
                  "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port())});
    ASSERT_TRUE(waitFor(
        [&] { return agent_.output().find("The DNS filter answers on") != std::string::npos; },
        20s))
        << agent_.output();
  }

  void ask(const std::string& name, const std::string& address, int times) const {
    for (int i = 0; i < times; ++i) ASSERT_EQ(firstAddress(port_, name), address) << name;
  }

  // What the collector has counted for `domain` from this laptop, over every minute.
  std::int64_t counted(const std::string& domain) const {
    return std::stoll(queryDatabase(collector_.database(),
                                    "SELECT COALESCE(SUM(count), 0) FROM dns_minutes "
                                    "WHERE device_id = ? AND domain = ? AND action = 'allowed'",
                                    {agent_.deviceId(), domain})[0][0]);
  }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::uint16_t port_ = freeLoopbackPort();
};

TEST_F(DnsRecordsTest, AKilledAgentLosesOnlyWhatItCountedSinceItsLastWrite) {
  startFilteringAgent();
  ask("first.test", "192.0.2.31", 20);
  const auto asked = std::chrono::steady_clock::now();
  // Within a write (10 s) and an upload (upload.interval, 2 s), and a little room.
  EXPECT_TRUE(waitFor([&] { return counted("first.test") == 20; }, 16s))
      << counted("first.test") << "\n"
      << agent_.output();
  const auto arrived = std::chrono::steady_clock::now() - asked;
  std::cout << "20 queries were counted at the collector after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(arrived).count() << " ms\n";

  // A burst, written at the next write; a few seconds later another, and the kill.
  ask("second.test", "192.0.2.32", 15);
  ASSERT_TRUE(waitFor([&] { return counted("second.test") == 15; }, 16s))
      << counted("second.test") << "\n"
      << agent_.output();
  std::this_thread::sleep_for(2s);
  ask("third.test", "192.0.2.33", 10);
  agent_.kill();

  // Started again without the filter, it sends whatever the outbox still holds.
  agent_.start();
  ASSERT_TRUE(waitFor([&] { return agent_.queueDepth() == 0; }, 20s)) << agent_.output();
  EXPECT_EQ(counted("first.test"), 20);
  EXPECT_EQ(counted("second.test"), 15);
  const auto third = counted("third.test");
  EXPECT_LE(third, 10);  // counted less than 10 s before the kill: may be lost
  std::cout << third << " of the 10 queries asked in the seconds before the kill were kept\n";

  // Every count of the stored events, partial or not, is in the minutes once.
  const auto totals =
      queryDatabase(collector_.database(),
                    "SELECT (SELECT SUM(json_extract(payload, '$.count')) FROM events_as_text "
                    "        WHERE device_id = ?1 AND type = 'dns_decision'), "
                    "       (SELECT SUM(count) FROM dns_minutes WHERE device_id = ?1)",
                    {agent_.deviceId()});
  EXPECT_EQ(totals[0][0], totals[0][1]);
  agent_.stop();
}

}  // namespace
}  // namespace clubsafe::testing
