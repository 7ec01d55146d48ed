// N3 and N4 with the real binaries: the agent's DNS filter answers a name of UT1's real gambling
// list with the block page's address, the agent's block page there says why, and a review
// request and a worry report sent from it, by a plain HTTP client and by Debian's headless
// Chromium (tests/browser/block_page_visit.mjs, which keeps screenshots), reach the real
// collector stamped with the account that sent them. The block page takes reports from no
// program of root's, so when this test runs as root the clients run as the account 4242
// (setpriv). dig as the DNS client; each part is skipped, saying why, when its tools are missing.
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

// The account the young person's programs run as: 4242 when this test runs as root.
constexpr std::uint32_t kChildUid = 4242;
std::string childName() {
  return ::geteuid() == 0 ? std::to_string(kChildUid) : currentUserName();
}

// Runs `program` as the young person's account.
CommandResult runAsChild(const std::string& program, const std::vector<std::string>& arguments,
                         std::chrono::milliseconds timeout = 60s) {
  if (::geteuid() != 0) return runCommand(program, arguments, timeout);
  return runAsAccount(kChildUid, program, arguments, timeout);
}

// A form sent by Debian's curl as the young person's browser sends it, for http://<site>:<port>;
// the HTTP status.
int postAsChild(std::uint16_t port, const std::string& site, const std::string& path,
                const std::string& form) {
  const auto origin = "http://" + site + ":" + std::to_string(port);
  const auto posted =
      runAsChild("/usr/bin/curl",
                 {"--silent", "--output", "/dev/null", "--write-out", "%{http_code}", "--header",
                  "Host: " + site + ":" + std::to_string(port), "--header", "Origin: " + origin,
                  "--data", form, "http://127.0.0.1:" + std::to_string(port) + path});
  return posted.status == 0 ? std::stoi(posted.output) : 0;
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

  EXPECT_EQ(postAsChild(pagePort_, site_, "/review",
                        "token=" + encoded(token[1]) + "&message=" + encoded("for my project")),
            200);
  EXPECT_EQ(postAsChild(pagePort_, site_, "/worry",
                        "token=" + encoded(token[1]) +
                            "&about=bullying&message=" + encoded("someone keeps posting about me")),
            200);
  EXPECT_EQ(postAsChild(pagePort_, site_, "/worry", "token=guess&about=bullying&message=x"), 403);
  // A token read under another name (a page rebinding its name here) is no good for this one.
  const auto other = fetch(pagePort_, "rebound.test", "GET", "/");
  ASSERT_TRUE(
      std::regex_search(other.body, token, std::regex(R"re(name="token" value="([^"]+)")re")));
  EXPECT_EQ(postAsChild(pagePort_, site_, "/worry",
                        "token=" + encoded(token[1]) + "&about=bullying&message=x"),
            403);
  if (::geteuid() == 0) {
    // root's programs file no reports, with a good token or not.
    const auto mine = fetch(pagePort_, site_, "GET", "/");
    ASSERT_TRUE(
        std::regex_search(mine.body, token, std::regex(R"re(name="token" value="([^"]+)")re")));
    EXPECT_EQ(fetch(pagePort_, site_, "POST", "/worry",
                    "token=" + encoded(token[1]) + "&about=bullying&message=x")
                  .status,
              403);
  }

  const auto rows = reportsAtTheCollector();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0][0], "review_request");
  EXPECT_EQ(rows[0][1], childName());
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("domain"), kCasino);
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("message"), "for my project");
  EXPECT_EQ(rows[1][0], "worry_report");
  EXPECT_EQ(rows[1][1], childName());
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
  // Chromium runs as the young person's account, with a home and a folder for its screenshots
  // of that account's own; the screenshots are then copied to the artifacts.
  const auto home = dir_.file("child-home");
  const auto shots = home + "/screenshots";
  std::filesystem::create_directories(shots);
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  if (::geteuid() == 0) {
    for (const auto& folder : {home, shots}) {
      ASSERT_EQ(::chown(folder.c_str(), kChildUid, kChildUid), 0) << folder;
    }
  }
  const auto visit =
      runAsChild("/usr/bin/env",
                 {"HOME=" + home, kNode, kVisit,
                  "http://" + std::string(kCasino) + ":" + std::to_string(pagePort_) + "/", shots},
                 90s);
  std::filesystem::create_directories(CLUBSAFE_ARTIFACTS_DIR);
  for (const auto& shot : std::filesystem::directory_iterator(shots)) {
    std::filesystem::copy_file(
        shot.path(), std::filesystem::path(CLUBSAFE_ARTIFACTS_DIR) / shot.path().filename(),
        std::filesystem::copy_options::overwrite_existing);
  }
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
  EXPECT_EQ(rows[0][1], childName());  // the account Chromium runs as
  EXPECT_EQ(parseObject(rows[0][2])->getValue<std::string>("message"),
            "We need it for a maths project about chance");
  EXPECT_EQ(rows[1][0], "worry_report");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("about"), "someone_online");
  EXPECT_EQ(parseObject(rows[1][2])->getValue<std::string>("message"),
            "Someone in a game keeps asking for photos & my address <3");
}

}  // namespace
}  // namespace clubsafe::testing
