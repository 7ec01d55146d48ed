// N3 and N4 with the real binaries: the agent's DNS filter answers a name of UT1's real gambling
// list with the block page's address, the agent's block page there says why, and a review
// request and a worry report sent from it, by a plain HTTP client and by Debian's headless
// Chromium (tests/browser/block_page_visit.mjs, which keeps screenshots), reach the real
// collector stamped with the account that sent them. dig as the DNS client; each part is skipped,
// saying why, when its tools are missing.
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
constexpr const char* kNode = "/usr/bin/node";
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kVisit = CLUBSAFE_BROWSER_TESTS_DIR "/block_page_visit.mjs";
constexpr const char* kPlaywright = CLUBSAFE_BROWSER_TESTS_DIR "/node_modules/playwright-core";

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

// The real collector and agent: enrolled, then the collector stopped so that the built-in
// profile (filter.*: UT1's gambling list) stays in force and the events wait in the outbox; the
// block page on 127.0.0.1 at a free port, which the DNS filter answers blocked names with.
class BlockPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveDnsTools()) GTEST_SKIP() << kNoDnsTools;
    if (!std::filesystem::exists(kGamblingList)) {
      GTEST_SKIP() << "The real blocklists are not at " << CLUBSAFE_BLOCKLISTS_DIR;
    }
    const auto index = dir_.file("domains.index");
    const auto compiled = runCommand(kIndexTool, {"compile", "--out", index, "--category",
                                                  "gambling=" + std::string(kGamblingList)});
    ASSERT_EQ(compiled.status, 0) << compiled.output;
    collector_.start();
    const auto enrolled = agent_.enrol(collector_);
    ASSERT_EQ(enrolled.status, 0) << enrolled.output;
    collector_.stop();
    agent_.start({"dns.enabled=true", "dns.port=" + std::to_string(dnsPort_),
                  "dns.upstreams=127.0.0.1:1", "filter.index_file=" + index,
                  "filter.blocked_categories=gambling", "dns.block_address_v4=127.0.0.1",
                  "blockpage.enabled=true", "blockpage.address=127.0.0.1",
                  "blockpage.port=" + std::to_string(pagePort_)});
    ASSERT_TRUE(waitFor(
        [&] {
          try {
            page_ = fetch(pagePort_, site_, "GET", "/");
            return page_.status == 200;
          } catch (const Poco::Exception&) {
            return false;  // not listening yet
          }
        },
        20s))
        << agent_.output();
  }

  void TearDown() override { agent_.stop(); }

  // The review requests and worry reports the collector holds, by type: [type, os_user, payload].
  std::vector<std::vector<std::string>> reports() const {
    return queryDatabase(
        collector_.database(),
        "SELECT type, os_user, payload FROM events_as_text WHERE device_id = ? AND "
        "type IN ('review_request', 'worry_report') ORDER BY type",
        {agent_.deviceId()});
  }

  // Starts the collector and waits until both reports have arrived.
  std::vector<std::vector<std::string>> reportsAtTheCollector() {
    collector_.start();
    EXPECT_TRUE(waitFor([&] { return reports().size() == 2; }, 30s)) << agent_.output();
    return reports();
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::uint16_t dnsPort_ = freeLoopbackPort();
  std::uint16_t pagePort_ = freeLoopbackPort();
  std::string site_ = std::string("www.") + kCasino;
  Page page_;
};

TEST_F(BlockPageTest, ABlockedSiteShowsWhyAndItsFormsReachTheCollector) {
  // The filter sends the browser to the block page's address.
  EXPECT_EQ(dig(dnsPort_, site_, "A").answers(),
            std::vector<std::string>{site_ + ". 60 IN A 127.0.0.1"});
  EXPECT_NE(page_.body.find("This site is blocked"), std::string::npos);
  EXPECT_NE(page_.body.find("The reason: <strong>gambling</strong>"), std::string::npos);
  std::smatch token;
  ASSERT_TRUE(
      std::regex_search(page_.body, token, std::regex(R"re(name="token" value="([^"]+)")re")));

  EXPECT_EQ(fetch(pagePort_, site_, "POST", "/review",
                  "token=" + encoded(token[1]) + "&message=" + encoded("for my project"))
                .status,
            200);
  EXPECT_EQ(fetch(pagePort_, site_, "POST", "/worry",
                  "token=" + encoded(token[1]) +
                      "&about=bullying&message=" + encoded("someone keeps posting about me"))
                .status,
            200);
  EXPECT_EQ(
      fetch(pagePort_, site_, "POST", "/worry", "token=guess&about=bullying&message=x").status,
      403);

  const auto rows = reportsAtTheCollector();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0][0], "review_request");
  EXPECT_EQ(rows[0][1], currentUserName());
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("domain"), kCasino);
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("message"), "for my project");
  EXPECT_EQ(rows[1][0], "worry_report");
  EXPECT_EQ(rows[1][1], currentUserName());
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("about"), "bullying");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("message"),
            "someone keeps posting about me");
}

TEST_F(BlockPageTest, InChromiumAChildReadsWhyAsksForAReviewAndReportsAWorry) {
  if (!std::filesystem::exists(kNode) || !std::filesystem::exists(kChromium) ||
      !std::filesystem::exists(kPlaywright)) {
    GTEST_SKIP() << "Needs " << kNode << ", " << kChromium << " (apt install nodejs chromium) and "
                 << "npm ci --prefix tests/browser.";
  }
  const auto visit =
      runCommand(kNode,
                 {kVisit, "http://" + std::string(kCasino) + ":" + std::to_string(pagePort_) + "/",
                  CLUBSAFE_ARTIFACTS_DIR},
                 90s);
  ASSERT_EQ(visit.status, 0) << visit.output;
  const auto seen = parseObject(visit.output.substr(visit.output.rfind('{')));
  EXPECT_EQ(seen->getValue<std::string>("title"), "This site is blocked");
  EXPECT_EQ(seen->getValue<std::string>("lang"), "en-GB");
  EXPECT_EQ(seen->getValue<std::string>("site"), kCasino);
  EXPECT_EQ(seen->getValue<std::string>("reason"), "The reason: gambling.");
  const auto help = seen->getValue<std::string>("help");
  EXPECT_NE(help.find("report to CEOP if someone online is making you feel unsafe"),
            std::string::npos);
  EXPECT_NE(help.find("0800 1111"), std::string::npos);
  EXPECT_EQ(seen->getArray("unlabelled")->size(), 0U);
  EXPECT_EQ(seen->getValue<int>("scripts"), 0);
  EXPECT_EQ(seen->getValue<std::string>("reviewAnswer"), "Thank you: your request is sent");
  EXPECT_EQ(seen->getValue<std::string>("worryAnswer"), "Thank you for telling us");
  EXPECT_EQ(seen->getValue<std::string>("elsewhereAnswer"), "That did not work");

  const auto rows = reportsAtTheCollector();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0][0], "review_request");
  EXPECT_EQ(rows[0][1], currentUserName());  // Chromium runs as this test's account
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("message"),
            "We need it for a maths project about chance");
  EXPECT_EQ(rows[1][0], "worry_report");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("about"), "someone_online");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("message"),
            "Someone in a game keeps asking for photos & my address <3");
}

}  // namespace
}  // namespace clubsafe::testing
