#include "common/domain_index/list_import.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/unit/common/domain_index/test_index.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

namespace clubsafe::common::domain_index {
namespace {

using testing::CollectingSink;
using testing::importText;
using Entries = std::vector<std::pair<std::string, bool>>;

std::vector<std::uint64_t> linesOf(const ImportReport& report, const std::string& reason) {
  const auto found = report.bad.find(reason);
  return found == report.bad.end() ? std::vector<std::uint64_t>{} : found->second.exampleLines;
}

TEST(PlainList, TakesNamesAndCountsBadLines) {
  CollectingSink sink;
  const auto report = importText(
      "# a comment\n"
      "Example.com\n"
      "\n"
      "  ads.example.org   # trailing comment\r\n"
      "1.2.3.4\n"
      "bad name.com\n"
      "example.net/path\n"
      "a..b\n"
      "second.example.com.",
      ListFormat::Plain, sink);
  EXPECT_EQ(
      sink.entries,
      (Entries{{"example.com", false}, {"ads.example.org", false}, {"second.example.com", false}}));
  EXPECT_EQ(report.lines, 9u);
  EXPECT_EQ(report.names, 3u);
  EXPECT_EQ(report.ignored, 2u);
  EXPECT_EQ(report.badCount(), 4u);
  EXPECT_EQ(linesOf(report, "IP address, not a domain name"), std::vector<std::uint64_t>{5});
  EXPECT_EQ(linesOf(report, "invalid character in name"), std::vector<std::uint64_t>{6});
  EXPECT_EQ(linesOf(report, "URL or path, not a domain name"), std::vector<std::uint64_t>{7});
  EXPECT_EQ(linesOf(report, "empty label (leading, trailing or double dot)"),
            std::vector<std::uint64_t>{8});
}

TEST(PlainList, KeepsOnlyAFewExampleLinesPerReason) {
  CollectingSink sink;
  const auto report =
      importText("1.1.1.1\n2.2.2.2\n3.3.3.3\n4.4.4.4\n5.5.5.5\n", ListFormat::Plain, sink);
  const auto& problem = report.bad.at("IP address, not a domain name");
  EXPECT_EQ(problem.count, 5u);
  EXPECT_EQ(problem.exampleLines, (std::vector<std::uint64_t>{1, 2, 3}));
  std::ostringstream printed;
  report.print(printed);
  EXPECT_NE(printed.str().find("5 x IP address, not a domain name (lines 1, 2, 3, ...)"),
            std::string::npos)
      << printed.str();
}

TEST(PlainList, AllowListMakesAllowEntries) {
  CollectingSink sink;
  const auto report = importText("bbc.co.uk\n", ListFormat::Plain, sink, true);
  EXPECT_EQ(sink.entries, (Entries{{"bbc.co.uk", true}}));
  EXPECT_EQ(report.allowNames, 1u);
}

TEST(PlainList, ReportsOverlongLines) {
  CollectingSink sink;
  const auto report =
      importText("a.com\n" + std::string(5000, 'x') + "\nb.com\n", ListFormat::Plain, sink);
  EXPECT_EQ(sink.entries, (Entries{{"a.com", false}, {"b.com", false}}));
  EXPECT_EQ(report.badCount(), 1u);
  EXPECT_EQ(linesOf(report, "line longer than 4096 bytes"), std::vector<std::uint64_t>{2});
}

TEST(HostsFile, TakesNamesAfterTheAddressAndSkipsLocalhost) {
  CollectingSink sink;
  const auto report = importText(
      "# StevenBlack-style header\n"
      "127.0.0.1 localhost\n"
      "127.0.0.1 localhost.localdomain\n"
      "::1 localhost ip6-localhost ip6-loopback\n"
      "0.0.0.0 0.0.0.0\n"
      "0.0.0.0 ads.example.com\n"
      "127.0.0.1\ttracker.example.net  # comment\n"
      "0.0.0.0 one.example two.example\n"
      "ads.example.org\n"
      "0.0.0.0\n"
      "0.0.0.0 bad_site!.com\n",
      ListFormat::Hosts, sink);
  EXPECT_EQ(sink.entries, (Entries{{"ads.example.com", false},
                                   {"tracker.example.net", false},
                                   {"one.example", false},
                                   {"two.example", false}}));
  EXPECT_EQ(report.names, 4u);
  EXPECT_EQ(report.ignored, 5u);
  EXPECT_EQ(report.badCount(), 3u);
  EXPECT_EQ(linesOf(report, "hosts line does not start with an IP address"),
            std::vector<std::uint64_t>{9});
  EXPECT_EQ(linesOf(report, "hosts line has an address but no name"),
            std::vector<std::uint64_t>{10});
  EXPECT_EQ(linesOf(report, "invalid character in name"), std::vector<std::uint64_t>{11});
}

TEST(AdBlockList, TakesDomainRulesAndAllowExceptions) {
  CollectingSink sink;
  const auto report = importText(
      "[Adblock Plus 2.0]\n"
      "! Title: test\n"
      "||ads.example.com^\n"
      "@@||good.example.com^\n"
      "||tracker.example.net^|\n"
      "||third.example^$third-party\n"
      "||example.org/banner/*\n"
      "example.com##.advert\n"
      "/banner[0-9]+/\n"
      "||*.wild.example^\n"
      "||bad..example^\n",
      ListFormat::AdBlock, sink);
  EXPECT_EQ(sink.entries, (Entries{{"ads.example.com", false},
                                   {"good.example.com", true},
                                   {"tracker.example.net", false}}));
  EXPECT_EQ(report.names, 3u);
  EXPECT_EQ(report.allowNames, 1u);
  EXPECT_EQ(report.ignored, 2u);
  EXPECT_EQ(report.unsupported, 5u);
  EXPECT_EQ(report.badCount(), 1u);
  EXPECT_EQ(linesOf(report, "empty label (leading, trailing or double dot)"),
            std::vector<std::uint64_t>{11});
}

TEST(ListFormat, ParsesItsNames) {
  EXPECT_EQ(parseListFormat("plain"), ListFormat::Plain);
  EXPECT_EQ(parseListFormat("hosts"), ListFormat::Hosts);
  EXPECT_EQ(parseListFormat("adblock"), ListFormat::AdBlock);
  EXPECT_EQ(parseListFormat("csv"), std::nullopt);
}

void writeGzip(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(file), Z_OK);
}

TEST(ListFiles, ReadsPlainAndGzipFilesAcrossBufferBoundaries) {
  clubsafe::testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "host" + std::to_string(i) + ".example.com\n";
  std::ofstream(dir.file("plain.txt")) << text;
  writeGzip(dir.file("list.gz"), text);
  for (const auto* file : {"plain.txt", "list.gz"}) {
    CollectingSink sink;
    const auto report = importListFile(dir.file(file), ListFormat::Plain, sink);
    EXPECT_EQ(report.names, 20000u) << file;
    EXPECT_EQ(report.badCount(), 0u) << file;
    ASSERT_EQ(sink.entries.size(), 20000u);
    EXPECT_EQ(sink.entries.back().first, "host19999.example.com");
  }
}

TEST(ListFiles, MissingFileIsAClearError) {
  CollectingSink sink;
  try {
    (void)importListFile("/nonexistent/list.txt", ListFormat::Plain, sink);
    FAIL() << "expected ImportError";
  } catch (const ImportError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/list.txt"), std::string::npos);
  }
}

TEST(ListFiles, DamagedGzipIsAClearError) {
  clubsafe::testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "host" + std::to_string(i) + ".example.com\n";
  writeGzip(dir.file("list.gz"), text);
  auto bytes = testing::readBytes(dir.file("list.gz"));
  bytes.resize(bytes.size() / 2);
  std::ofstream(dir.file("list.gz"), std::ios::binary | std::ios::trunc) << bytes;
  CollectingSink sink;
  EXPECT_THROW((void)importListFile(dir.file("list.gz"), ListFormat::Plain, sink), ImportError);
}

TEST(Ut1Folder, FindsBothLayoutsSortedAndSkipsAliases) {
  clubsafe::testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "tree" / "gambling");
  std::filesystem::create_directories(dir.path() / "tree" / "drogue");
  std::ofstream(dir.path() / "tree" / "gambling" / "domains") << "bet.example\n";
  std::ofstream(dir.path() / "tree" / "drogue" / "domains") << "drug.example\n";
  std::filesystem::create_directory_symlink("drogue", dir.path() / "tree" / "drugs");
  const auto tree = findUt1Lists(dir.path() / "tree");
  ASSERT_EQ(tree.size(), 2u);
  EXPECT_EQ(tree[0].category, "drogue");
  EXPECT_EQ(tree[1].category, "gambling");
  EXPECT_EQ(tree[1].file, dir.path() / "tree" / "gambling" / "domains");

  std::filesystem::create_directories(dir.path() / "flat");
  writeGzip((dir.path() / "flat" / "vpn.domains.gz").string(), "vpn.example\n");
  std::ofstream(dir.path() / "flat" / "README.md") << "not a list\n";
  const auto flat = findUt1Lists(dir.path() / "flat");
  ASSERT_EQ(flat.size(), 1u);
  EXPECT_EQ(flat[0].category, "vpn");

  EXPECT_THROW((void)findUt1Lists(dir.path() / "tree" / "gambling"), ImportError);
  EXPECT_THROW((void)findUt1Lists(dir.path() / "missing"), ImportError);
}

}  // namespace
}  // namespace clubsafe::common::domain_index
