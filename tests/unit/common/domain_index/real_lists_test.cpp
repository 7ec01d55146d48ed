// The importers and the index on real blocklists from ../shared/data/blocklists (test data that
// is never copied into the repository).
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace clubsafe::common::domain_index {
namespace {

const std::filesystem::path kBlocklists = CLUBSAFE_BLOCKLISTS_DIR;

class RealListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kBlocklists / "ut1")) {
      GTEST_SKIP() << "The real blocklists are not at " << kBlocklists
                   << " (the shared data folder beside the repository); skipping.";
    }
  }
  clubsafe::testing::TempDir dir_;
};

TEST_F(RealListsTest, GamblingFromUt1AndStevenBlack) {
  DomainIndexBuilder builder;
  const auto ut1 = builder.addCategory("gambling");
  const auto hosts = builder.addCategory("gambling-hosts");
  const auto ut1Report = importListFile(kBlocklists / "ut1/gambling.domains.gz", ListFormat::Plain,
                                        builder.categorySink(ut1));
  const auto hostsReport = importListFile(kBlocklists / "stevenblack/gambling-only.hosts.gz",
                                          ListFormat::Hosts, builder.categorySink(hosts));

  // UT1's file: 32,247 entries, all distinct (data README); its IPv4 literals are the bad lines.
  EXPECT_EQ(ut1Report.lines, 32247u);
  EXPECT_EQ(ut1Report.names + ut1Report.badCount(), 32247u);
  EXPECT_EQ(ut1Report.badCount(), ut1Report.bad.at("IP address, not a domain name").count);
  EXPECT_GT(ut1Report.badCount(), 0u);
  // StevenBlack's: 5,936 "0.0.0.0 name" lines, the rest comments and blanks.
  EXPECT_EQ(hostsReport.names, 5936u);
  EXPECT_EQ(hostsReport.badCount(), 0u);
  EXPECT_EQ(hostsReport.names + hostsReport.ignored, hostsReport.lines);

  const auto summary = builder.write(dir_.file("gambling.bin"));
  const auto index = DomainIndex::open(dir_.file("gambling.bin"));
  EXPECT_EQ(summary.entries, ut1Report.names + hostsReport.names);
  EXPECT_EQ(summary.duplicates, 0u);  // each file lists a name once
  EXPECT_EQ(index->entryCount(), summary.names);
  EXPECT_LT(summary.names, summary.entries);  // the two lists overlap
  EXPECT_LE(summary.bytesPerName(), 12.0);

  for (const auto* name :
       {"bet365.com", "www.pokerstars.com", "WilliamHill.com.", "888casino.com"}) {
    EXPECT_TRUE(index->lookup(name).categories.test(ut1)) << name;
  }
  for (const auto* name : {"007win.com", "cdn.009.casino"}) {
    EXPECT_TRUE(index->lookup(name).categories.test(hosts)) << name;
  }
  for (const auto* name : {"bbc.co.uk", "wikipedia.org", "notbet365.com"}) {
    EXPECT_FALSE(index->lookup(name).blocked()) << name;
  }
}

TEST_F(RealListsTest, HostsFileWithLocalhostBlock) {
  DomainIndexBuilder builder;
  const auto category = builder.addCategory("unified");
  const auto report = importListFile(kBlocklists / "stevenblack/hosts.gz", ListFormat::Hosts,
                                     builder.categorySink(category));
  // 88,763 blocked names per the file's own header; localhost lines and "0.0.0.0 0.0.0.0" skipped.
  EXPECT_EQ(report.names, 88763u);
  EXPECT_EQ(report.badCount(), 0u);
  const auto summary = builder.write(dir_.file("hosts.bin"));
  EXPECT_EQ(summary.names, 88763u);
  const auto index = DomainIndex::open(dir_.file("hosts.bin"));
  EXPECT_FALSE(index->lookup("localhost").blocked());
}

TEST_F(RealListsTest, EveryUt1Category) {
  const auto lists = findUt1Lists(kBlocklists / "ut1");
  EXPECT_EQ(lists.size(), 68u);
  DomainIndexBuilder builder;
  std::uint64_t names = 0;
  for (const auto& list : lists) {
    names += importListFile(list.file, ListFormat::Plain,
                            builder.categorySink(builder.addCategory(list.category)))
                 .names;
  }
  const auto summary = builder.write(dir_.file("ut1.bin"));
  const auto index = DomainIndex::open(dir_.file("ut1.bin"));
  EXPECT_EQ(summary.entries, names);
  EXPECT_LE(summary.bytesPerName(), 12.0);
  const auto vpn = index->findCategory("vpn");
  ASSERT_TRUE(vpn.has_value());
  EXPECT_TRUE(index->lookup("www.nordvpn.com").categories.test(*vpn));
}

}  // namespace
}  // namespace clubsafe::common::domain_index
