// The lock-down's rules and its keeping of them. The packet filter is the operating-system seam
// faked here; tests/integration/toolkit/young_persons_toolkit_test.cpp puts the same rules into
// a real kernel's nftables and tries to get round them.
#include "agent/protection/outbound_lockdown.hpp"

#include "agent/protection/public_resolvers.hpp"

#include <gtest/gtest.h>

#include <map>

namespace clubsafe::agent::protection {
namespace {

constexpr std::chrono::seconds kInterval{30};

// Tables held in memory, listed as they were put, the way nftables lists what it holds.
class TablesInMemory : public platform::PacketFilter {
 public:
  void replaceTable(const std::string& table, const std::string& ruleset) override {
    if (refuse) throw platform::PacketFilterError("Operation not permitted (test)");
    tables[table] = ruleset;
  }
  std::optional<std::string> listTable(const std::string& table) override {
    const auto found = tables.find(table);
    if (found == tables.end()) return std::nullopt;
    return found->second;
  }
  void deleteTable(const std::string& table) override { tables.erase(table); }

  std::map<std::string, std::string> tables;
  bool refuse = false;
};

std::string kindOf(const common::Event& event) {
  return event.payload->getValue<std::string>("kind");
}

TEST(BlockedNetworksTest, AddressesAndRangesOfBothFamiliesAreReadAndWrittenBackPlainly) {
  const auto networks =
      parseBlockedNetworks("192.0.2.53, 2001:DB8::1  198.51.100.0/24,,2001:db8::/48");
  ASSERT_EQ(networks.size(), 4U);
  EXPECT_EQ(networks[0].text, "192.0.2.53");
  EXPECT_FALSE(networks[0].ipv6);
  EXPECT_EQ(networks[1].text, "2001:db8::1");
  EXPECT_TRUE(networks[1].ipv6);
  EXPECT_EQ(networks[2].text, "198.51.100.0/24");
  EXPECT_EQ(networks[3].text, "2001:db8::/48");
  EXPECT_TRUE(parseBlockedNetworks("").empty());
}

TEST(BlockedNetworksTest, AnythingButAnAddressIsRefusedSoNothingElseReachesTheRules) {
  for (const auto* entry :
       {"dns.google", "192.0.2.1;flush", "192.0.2.1}", "192.0.2.0/33", "2001:db8::/129",
        "192.0.2.0/0", "192.0.2.0/", "192.0.2.0/x", "\"lo\"", "fe80::1%lo"}) {
    EXPECT_THROW((void)parseBlockedNetworks(entry), LockdownError) << entry;
  }
}

TEST(BlockedNetworksTest, EveryBuiltInResolverIsAnAddressAndTheSettingAddsToThem) {
  const auto builtIn = blockedResolvers("");
  EXPECT_EQ(builtIn.size(), publicResolverAddresses().size());
  EXPECT_EQ(blockedResolvers("192.0.2.53").size(), builtIn.size() + 1);
  try {
    (void)blockedResolvers("192.0.2.53, not-an-address");
    FAIL() << "a wrong entry was taken";
  } catch (const LockdownError& error) {
    EXPECT_NE(std::string(error.what()).find("protection.blocked_resolvers"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("not-an-address"), std::string::npos);
  }
}

TEST(LockdownRulesetTest, OnlyMarkedQueriesLeaveForDnsPortsAndPublicResolversAreRefused) {
  const auto rules = lockdownRuleset(parseBlockedNetworks("192.0.2.53, 2001:db8::53"));
  const auto accept = rules.find("meta mark 0x636c7562");
  const auto refuseTcp = rules.find("tcp dport { 53, 853 } reject");
  const auto refuseUdp = rules.find("udp dport { 53, 853 } reject");
  ASSERT_NE(accept, std::string::npos);
  ASSERT_NE(refuseTcp, std::string::npos);
  ASSERT_NE(refuseUdp, std::string::npos);
  EXPECT_LT(accept, refuseTcp);
  EXPECT_LT(accept, refuseUdp);
  EXPECT_LT(rules.find("oifname \"lo\" accept"), accept);
  EXPECT_NE(rules.find("elements = { 192.0.2.53 }"), std::string::npos);
  EXPECT_NE(rules.find("elements = { 2001:db8::53 }"), std::string::npos);
  EXPECT_NE(rules.find("ip daddr @public_resolvers_v4 reject"), std::string::npos);
  EXPECT_NE(rules.find("ip6 daddr @public_resolvers_v6 reject"), std::string::npos);
  // A family with nothing to refuse has no set: nft refuses an empty element list.
  EXPECT_EQ(lockdownRuleset(parseBlockedNetworks("192.0.2.53")).find("v6"), std::string::npos);
}

TEST(OutboundLockdownTest, AnInstalledTableLeftAloneIsNotReported) {
  TablesInMemory filter;
  OutboundLockdown lockdown(filter, "rules", kInterval);
  lockdown.install();
  EXPECT_EQ(filter.tables.at(kLockdownTable), "rules");
  EXPECT_TRUE(lockdown.poll().empty());
  EXPECT_TRUE(lockdown.poll().empty());
}

TEST(OutboundLockdownTest, ARemovedTableIsPutBackAndReportedOnce) {
  TablesInMemory filter;
  OutboundLockdown lockdown(filter, "rules", kInterval);
  lockdown.install();
  filter.tables.clear();  // nft flush ruleset
  const auto events = lockdown.poll();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, common::EventType::Tamper);
  EXPECT_EQ(kindOf(events[0]), "outbound_lockdown_removed");
  EXPECT_EQ(filter.tables.at(kLockdownTable), "rules");
  EXPECT_TRUE(lockdown.poll().empty());
}

TEST(OutboundLockdownTest, AChangedTableIsPutBackAndReported) {
  TablesInMemory filter;
  OutboundLockdown lockdown(filter, "rules", kInterval);
  lockdown.install();
  filter.tables[kLockdownTable] = "rules with one taken out";
  const auto events = lockdown.poll();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(kindOf(events[0]), "outbound_lockdown_changed");
  EXPECT_EQ(filter.tables.at(kLockdownTable), "rules");
}

TEST(OutboundLockdownTest, AFailedInstallIsTriedAgainAtEachPollWithoutATamperEvent) {
  TablesInMemory filter;
  filter.refuse = true;
  OutboundLockdown lockdown(filter, "rules", kInterval);
  EXPECT_THROW(lockdown.install(), LockdownError);
  EXPECT_TRUE(lockdown.poll().empty());
  EXPECT_TRUE(filter.tables.empty());
  filter.refuse = false;
  EXPECT_TRUE(lockdown.poll().empty());
  EXPECT_EQ(filter.tables.at(kLockdownTable), "rules");
}

TEST(OutboundLockdownTest, ACleanStopRemovesTheTableAndOtherTablesAreLeftAlone) {
  TablesInMemory filter;
  filter.tables["inet firewalld"] = "theirs";
  OutboundLockdown lockdown(filter, "rules", kInterval);
  lockdown.install();
  lockdown.remove();
  EXPECT_EQ(filter.tables.count(kLockdownTable), 0U);
  EXPECT_EQ(filter.tables.at("inet firewalld"), "theirs");
}

}  // namespace
}  // namespace clubsafe::agent::protection
