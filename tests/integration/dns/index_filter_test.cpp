// The agent's DNS filter with a domain index compiled by the real clubsafe-index from a real UT1
// list: the real clubsafe-agent, dnsmasq as its upstream and dig as the client, on 127.0.0.1.
#include "tests/integration/dns/dns_tools.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace clubsafe::testing {
namespace {

constexpr const char* kIndexTool = CLUBSAFE_INDEX_BIN;
constexpr const char* kGamblingList = CLUBSAFE_BLOCKLISTS_DIR "/ut1/gambling.domains.gz";

// Listed in UT1's gambling list (and its parent, com, is not).
constexpr const char* kCasino = "000-online-casino.com";
constexpr const char* kCasinoHelp = "help.000-online-casino.com";  // allow-listed
constexpr const char* kTerror = "terror.test";  // always blocked, although allow-listed too

class IndexFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    if (!std::filesystem::exists(kGamblingList)) {
      GTEST_SKIP() << "The real blocklists are not at " << CLUBSAFE_BLOCKLISTS_DIR;
    }
    dnsmasq_ = std::make_unique<Dnsmasq>(
        dir_, std::vector<std::string>{"--host-record=" + std::string(kCasino) + ",192.0.2.20",
                                       "--host-record=" + std::string(kCasinoHelp) + ",192.0.2.21",
                                       "--host-record=" + std::string(kTerror) + ",192.0.2.22"});
    writeLines("allow.txt", {kCasinoHelp, kTerror});
    writeLines("terrorism.txt", {kTerror});
  }

  void writeLines(const std::string& name, const std::vector<std::string>& lines) const {
    std::ofstream out(dir_.file(name));
    for (const auto& line : lines) out << line << "\n";
  }

  // Compiles the gambling list `list`, the terrorism list and the allow list into `out`.
  void compile(const std::string& list, const std::string& out) const {
    const auto result = runCommand(
        kIndexTool, {"compile", "--out", out, "--category", "gambling=" + list, "--category",
                     "terrorism=" + dir_.file("terrorism.txt"), "--allow", dir_.file("allow.txt")});
    ASSERT_EQ(result.status, 0) << result.output;
  }

  // The first A record of an answer, or its status when there is none.
  std::string address(const std::string& name) const { return firstAddress(port_, name); }

  TempDir dir_;
  std::unique_ptr<Dnsmasq> dnsmasq_;
  std::uint16_t port_ = freeLoopbackPort();
};

TEST_F(IndexFilterTest, TheAgentBlocksACategoryOfARealListAndSwapsInANewIndexUnderLoad) {
  const auto index = dir_.file("domains.index");
  compile(kGamblingList, index);
  Collector collector(dir_);
  collector.start();
  Agent agent(dir_);
  const auto enrolled = agent.enrol(collector);
  ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  // The filter.* settings make the built-in profile, in force only until the collector's first
  // policy arrives: without the collector it stays.
  collector.stop();
  agent.start({"dns.enabled=true", "dns.port=" + std::to_string(port_),
               "dns.upstreams=127.0.0.1:" + std::to_string(dnsmasq_->port()),
               "filter.index_file=" + index, "filter.blocked_categories=gambling",
               "filter.reload_interval=1"});
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("The DNS filter answers on") != std::string::npos; }, 20s))
      << agent.output();
  EXPECT_NE(agent.output().find("The DNS filter uses domain index " + index), std::string::npos)
      << agent.output();

  EXPECT_EQ(address(kCasino), "127.0.0.2");
  EXPECT_EQ(address("www." + std::string(kCasino)), "127.0.0.2");
  EXPECT_EQ(dig(port_, kCasino, "AAAA").answers(),
            std::vector<std::string>{std::string(kCasino) + ". 60 IN AAAA ::"});
  EXPECT_EQ(address("allowed.test"), "192.0.2.10");           // in no list: through dnsmasq
  EXPECT_EQ(address(kCasinoHelp), "192.0.2.21");              // the allow entry beats gambling
  EXPECT_EQ(address(kTerror), "127.0.0.2");                     // but not terrorism
  EXPECT_EQ(address("use-application-dns.net"), "NXDOMAIN");  // the canaries still apply
  EXPECT_EQ(address("www.google.com"), "forcesafesearch.google.com.");  // strict by default

  // A new index without the casino, written beside the old one and renamed over it.
  const auto shorter = dir_.file("gambling-shorter.txt");
  const auto filtered =
      runCommand("/bin/sh", {"-c", "zcat '" + std::string(kGamblingList) + "' | grep -vx '" +
                                       std::string(kCasino) + "' > '" + shorter + "'"});
  ASSERT_EQ(filtered.status, 0) << filtered.output;
  compile(shorter, dir_.file("next.index"));
  std::filesystem::rename(dir_.file("next.index"), index);

  // Queries keep flowing while the agent notices (within filter.reload_interval) and swaps.
  int queries = 0;
  int failed = 0;
  const auto swapped = waitFor(
      [&] {
        queries += 2;
        if (address("allowed.test") != "192.0.2.10") ++failed;
        const auto casino = address(kCasino);
        if (casino != "127.0.0.2" && casino != "192.0.2.20") ++failed;
        return casino == "192.0.2.20";
      },
      10s);
  EXPECT_TRUE(swapped) << agent.output();
  EXPECT_EQ(failed, 0) << "of " << queries << " queries";
  EXPECT_EQ(address("www.0-casino.info"), "127.0.0.2");  // still in the list
  EXPECT_EQ(address(kTerror), "127.0.0.2");

  // A broken file is refused with one line, and the index in force stays.
  std::ofstream(dir_.file("broken.index")) << "not an index";
  std::filesystem::rename(dir_.file("broken.index"), index);
  ASSERT_TRUE(
      waitFor([&] { return agent.output().find("it was not loaded") != std::string::npos; }, 10s))
      << agent.output();
  EXPECT_EQ(address("www.0-casino.info"), "127.0.0.2");
  agent.stop();
}

}  // namespace
}  // namespace clubsafe::testing
