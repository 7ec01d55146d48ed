// N3 and N4 with the real binaries: the agent's DNS filter answers a name of UT1's real gambling
// list with the block page's address, the agent's block page there says why, and a review
// request and a worry report sent from it reach the real collector, stamped with the account
// that sent them. dig as the DNS client (skipped without it); the browser side is
// tests/browser/block_page.test.mjs.
#include "tests/integration/dns/dns_tools.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

namespace clubsafe::testing {
namespace {

constexpr const char* kIndexTool = CLUBSAFE_INDEX_BIN;
constexpr const char* kGamblingList = CLUBSAFE_BLOCKLISTS_DIR "/ut1/gambling.domains.gz";
constexpr const char* kCasino = "0-casino.info";  // in UT1's gambling list

struct Page {
  int status = 0;
  std::string body;
};

// One request to the block page as a browser sends it for http://<site>:<port>/.
Page fetch(std::uint16_t port, const std::string& site, const std::string& method,
           const std::string& path, const std::string& form = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
  request.setHost(site, port);
  if (method == "POST") {
    request.setContentType("application/x-www-form-urlencoded");
    request.setContentLength64(static_cast<Poco::Int64>(form.size()));
    request.set("Origin", "http://" + site + ":" + std::to_string(port));
  }
  session.sendRequest(request) << form;
  Poco::Net::HTTPResponse response;
  Page page;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), page.body);
  page.status = response.getStatus();
  return page;
}

std::string encoded(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "&=+;", out);
  return out;
}

std::string userName() {
  const passwd* entry = ::getpwuid(::geteuid());
  return entry != nullptr ? entry->pw_name : std::to_string(::geteuid());
}

TEST(BlockPageTest, ABlockedSiteShowsWhyAndItsFormsReachTheCollector) {
  if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
  if (!std::filesystem::exists(kGamblingList)) {
    GTEST_SKIP() << "The real blocklists are not at " << CLUBSAFE_BLOCKLISTS_DIR;
  }
  TempDir dir;
  const auto index = dir.file("domains.index");
  const auto compiled = runCommand(kIndexTool, {"compile", "--out", index, "--category",
                                                "gambling=" + std::string(kGamblingList)});
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  Collector collector(dir);
  collector.start();
  Agent agent(dir);
  const auto enrolled = agent.enrol(collector);
  ASSERT_EQ(enrolled.status, 0) << enrolled.output;
  // Without the collector the built-in profile (filter.*) stays in force; the events wait.
  collector.stop();
  const auto dnsPort = freeLoopbackPort();
  const auto pagePort = freeLoopbackPort();
  agent.start({"dns.enabled=true", "dns.port=" + std::to_string(dnsPort),
               "dns.upstreams=127.0.0.1:1", "filter.index_file=" + index,
               "filter.blocked_categories=gambling", "dns.block_address_v4=127.0.0.1",
               "blockpage.enabled=true", "blockpage.address=127.0.0.1",
               "blockpage.port=" + std::to_string(pagePort)});
  ASSERT_TRUE(waitFor(
      [&] { return agent.output().find("The DNS filter answers on") != std::string::npos; }, 20s))
      << agent.output();

  // The filter sends the browser to the block page's address.
  EXPECT_EQ(dig(dnsPort, std::string("www.") + kCasino, "A").answers(),
            std::vector<std::string>{std::string("www.") + kCasino + ". 60 IN A 127.0.0.1"});

  Page page;
  ASSERT_TRUE(waitFor(
      [&] {
        try {
          page = fetch(pagePort, std::string("www.") + kCasino, "GET", "/");
          return page.status == 200;
        } catch (const Poco::Exception&) {
          return false;  // not listening yet
        }
      },
      10s))
      << agent.output();
  EXPECT_NE(page.body.find("This site is blocked"), std::string::npos);
  EXPECT_NE(page.body.find("The reason: <strong>gambling</strong>"), std::string::npos);
  std::smatch token;
  ASSERT_TRUE(
      std::regex_search(page.body, token, std::regex(R"re(name="token" value="([^"]+)")re")));

  const auto site = std::string("www.") + kCasino;
  EXPECT_EQ(fetch(pagePort, site, "POST", "/review",
                  "token=" + encoded(token[1]) + "&message=" + encoded("for my project"))
                .status,
            200);
  EXPECT_EQ(fetch(pagePort, site, "POST", "/worry",
                  "token=" + encoded(token[1]) +
                      "&about=bullying&message=" + encoded("someone keeps posting about me"))
                .status,
            200);
  EXPECT_EQ(fetch(pagePort, site, "POST", "/worry", "token=guess&about=bullying&message=x").status,
            403);

  collector.start();
  const auto query = [&] {
    return queryDatabase(collector.database(),
                         "SELECT type, os_user, payload FROM events WHERE device_id = ? AND "
                         "type IN ('review_request', 'worry_report') ORDER BY type",
                         {agent.deviceId()});
  };
  ASSERT_TRUE(waitFor([&] { return query().size() == 2; }, 30s)) << agent.output();
  const auto rows = query();
  EXPECT_EQ(rows[0][0], "review_request");
  EXPECT_EQ(rows[0][1], userName());
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("domain"), kCasino);
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("message"), "for my project");
  EXPECT_EQ(rows[1][0], "worry_report");
  EXPECT_EQ(rows[1][1], userName());
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("about"), "bullying");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("message"),
            "someone keeps posting about me");
  agent.stop();
}

}  // namespace
}  // namespace clubsafe::testing
