#include "agent/notices/block_page_server.hpp"

#include "agent/platform/process_lister.hpp"
#include "common/batch_codec.hpp"
#include "common/notice_protocol.hpp"
#include "tests/unit/agent/notices/test_filter.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <regex>

namespace clubsafe::agent::notices {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

struct Reply {
  int status = 0;
  std::string body;
  std::string header(const std::string& name) const { return headers.get(name, ""); }
  Poco::Net::NameValueCollection headers;
};

std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    std::string encoded;
    Poco::URI::encode(value, "&=+;", encoded);
    body += (body.empty() ? "" : "&") + name + "=" + encoded;
  }
  return body;
}

// The OS seam: who the kernel says owns the other end of the connection (the real table is
// tested in socket_owner_test.cpp and, with real accounts, in the integration tests).
class FixedOwner final : public platform::SocketOwners {
 public:
  [[nodiscard]] std::optional<std::uint32_t> peerOwner(
      const platform::TcpConnection&) const override {
    return uid;
  }
  std::optional<std::uint32_t> uid = kChild;
  static constexpr std::uint32_t kChild = 4242;
};

class BlockPageServerTest : public ::testing::Test {
 protected:
  BlockPageServerTest()
      : outbox_(dir_.file("outbox.db"), outbox::Outbox::Access::ReadWrite),
        server_(
            {.address = "127.0.0.1", .port = 0}, test_.filter,
            [this] { return test_.filter.index(); }, reports_, owner_) {}

  Reply request(const std::string& method, const std::string& host, const std::string& path = "/",
                const std::string& body = {},
                const std::vector<std::pair<std::string, std::string>>& headers = {},
                const std::string& contentType = "application/x-www-form-urlencoded") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_.port());
    HTTPRequest request(method, path, HTTPRequest::HTTP_1_1);
    request.setHost(host);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method == "POST") {
      request.setContentType(contentType);
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(request) << body;
    HTTPResponse response;
    auto& in = session.receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    for (const auto& [name, value] : response) reply.headers.add(name, value);
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  }

  std::string host(const std::string& name) const {
    return name + ":" + std::to_string(server_.port());
  }

  std::string token(const std::string& name = "0-casino.info") {
    const auto page = request("GET", host(name)).body;
    std::smatch match;
    EXPECT_TRUE(std::regex_search(page, match, std::regex(R"re(name="token" value="([^"]+)")re")));
    return match[1];
  }

  Reply post(const std::string& path,
             const std::vector<std::pair<std::string, std::string>>& fields,
             const std::string& name = "0-casino.info",
             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return request("POST", host(name), path, formEncode(fields), headers);
  }

  std::vector<common::Event> events() {
    std::vector<common::Event> decoded;
    for (const auto& pending : outbox_.nextBatch(100)) {
      decoded.push_back(common::decodeEvent(pending.encoded));
    }
    return decoded;
  }

  testing::TestFilter test_;
  clubsafe::testing::TempDir dir_;
  outbox::Outbox outbox_;
  ReportLimiter reports_{outbox_, {}};
  FixedOwner owner_;
  BlockPageServer server_;
};

TEST_F(BlockPageServerTest, ShowsTheSiteTheReasonAndBothForms) {
  const auto reply = request("GET", host("WWW.0-Casino.info."), "/some/page?q=1");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(reply.header("Cache-Control"), "no-store");
  const auto& page = reply.body;
  EXPECT_NE(page.find("<html lang=\"en-GB\">"), std::string::npos);
  EXPECT_NE(page.find("<h1>This site is blocked</h1>"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"site\">www.0-casino.info</p>"), std::string::npos);
  EXPECT_NE(page.find("The reason: <strong>gambling</strong>"), std::string::npos);
  EXPECT_NE(page.find("action=\"/review\""), std::string::npos);
  EXPECT_NE(page.find("action=\"/worry\""), std::string::npos);
  EXPECT_NE(page.find("maxlength=\"500\""), std::string::npos);
  EXPECT_NE(page.find("maxlength=\"2000\""), std::string::npos);
  for (const auto& topic : common::notice::kWorryTopics) {
    EXPECT_NE(page.find("value=\"" + std::string(topic.id) + "\""), std::string::npos) << topic.id;
  }
  EXPECT_NE(page.find("https://www.ceop.police.uk/Safety-Centre/"), std::string::npos);
  EXPECT_NE(page.find("report to CEOP if someone online is making you feel unsafe"),
            std::string::npos);
  EXPECT_NE(page.find("0800 1111"), std::string::npos);
  EXPECT_NE(page.find("https://www.childline.org.uk"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);  // nothing loaded from anywhere
}

TEST_F(BlockPageServerTest, NamesTheProfilesOwnRules) {
  EXPECT_NE(request("GET", host("example.org")).body.find("the club&#39;s list of blocked sites"),
            std::string::npos);
}

TEST_F(BlockPageServerTest, ASiteNotBlockedNowSaysSoWithoutAReviewForm) {
  const auto page = request("GET", host("homework.test")).body;
  EXPECT_NE(page.find("This site is not blocked now"), std::string::npos);
  EXPECT_EQ(page.find("action=\"/review\""), std::string::npos);
  EXPECT_NE(page.find("action=\"/worry\""), std::string::npos);
}

TEST_F(BlockPageServerTest, ABadHostGetsAPlainPageWithoutIt) {
  for (const auto* bad : {"<script>alert(1)</script>", "127.0.0.2", "[::1]:80", "a..b", "",
                          "name:port", "x.test:99999"}) {
    const auto reply = request("GET", bad);
    EXPECT_EQ(reply.status, 200) << bad;
    EXPECT_NE(reply.body.find("<h1>This site is blocked</h1>"), std::string::npos) << bad;
    EXPECT_EQ(reply.body.find("class=\"site\""), std::string::npos) << bad;
    EXPECT_EQ(reply.body.find("<script"), std::string::npos) << bad;
    EXPECT_EQ(reply.body.find("action=\"/review\""), std::string::npos) << bad;
  }
}

TEST_F(BlockPageServerTest, AReviewRequestBecomesAnEvent) {
  const auto reply = post(
      "/review",
      {{"token", token("www.0-casino.info")}, {"message", "It's for my <b>homework</b> & maths"}},
      "www.0-casino.info",
      {{"Origin", "http://www.0-casino.info:" + std::to_string(server_.port())}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find("youth workers will look at <strong>0-casino.info</strong>"),
            std::string::npos);
  const auto saved = events();
  ASSERT_EQ(saved.size(), 1U);
  EXPECT_EQ(saved[0].type, common::EventType::ReviewRequest);
  EXPECT_EQ(saved[0].payload->getValue<std::string>("domain"), "0-casino.info");
  EXPECT_EQ(saved[0].payload->getValue<std::string>("category"), "gambling");
  EXPECT_EQ(saved[0].payload->getValue<std::string>("message"),
            "It's for my <b>homework</b> & maths");
  EXPECT_EQ(saved[0].osUser, platform::userName(FixedOwner::kChild));  // who opened the connection
}

TEST_F(BlockPageServerTest, AWorryReportBecomesAnEvent) {
  const auto reply =
      post("/worry",
           {{"token", token()}, {"about", "someone_online"}, {"message", "line one\nline two"}},
           "0-casino.info",
           {{"Referer", "http://0-casino.info:" + std::to_string(server_.port()) + "/x"}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find("safeguarding lead"), std::string::npos);
  EXPECT_NE(reply.body.find("0800 1111"), std::string::npos);
  const auto saved = events();
  ASSERT_EQ(saved.size(), 1U);
  EXPECT_EQ(saved[0].type, common::EventType::WorryReport);
  EXPECT_EQ(saved[0].payload->getValue<std::string>("about"), "someone_online");
  EXPECT_EQ(saved[0].payload->getValue<std::string>("message"), "line one line two");
  EXPECT_EQ(saved[0].osUser, platform::userName(FixedOwner::kChild));
}

TEST_F(BlockPageServerTest, FormsFromElsewhereOrOutOfDateAreRefused) {
  const auto port = std::to_string(server_.port());
  const auto good = token();
  const std::vector<std::pair<std::string, std::string>> worry{{"about", "bullying"},
                                                               {"message", "hi"}};
  auto with = [&](std::string value) {
    auto fields = worry;
    fields.emplace_back("token", std::move(value));
    return fields;
  };
  EXPECT_EQ(post("/worry", worry).status, 403);  // no token
  EXPECT_EQ(post("/worry", with("wrong")).status, 403);
  EXPECT_EQ(
      post("/worry", with(good), "0-casino.info", {{"Origin", "http://evil.test:" + port}}).status,
      403);
  EXPECT_EQ(post("/worry", with(good), "0-casino.info", {{"Origin", "null"}}).status, 403);
  EXPECT_EQ(
      post("/worry", with(good), "0-casino.info", {{"Origin", "http://0-casino.info:1"}}).status,
      403);
  EXPECT_EQ(
      post("/worry", with(good), "0-casino.info", {{"Origin", "https://0-casino.info:" + port}})
          .status,
      403);
  EXPECT_EQ(post("/worry", with(good), "0-casino.info", {{"Referer", "http://evil.test/"}}).status,
            403);
  // A token is good for the host it was served for only: a page whose name was made to point
  // here reads its own, which no other site's form takes.
  EXPECT_EQ(post("/worry", with(token("rebound.test"))).status, 403);
  EXPECT_EQ(post("/worry", with(good), "www.0-casino.info").status, 403);
  EXPECT_EQ(post("/review", with(token("unlisted.test")), "unlisted.test").status,
            200);  // not blocked: no event
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(post("/worry", with(good)).status, 200);
  EXPECT_EQ(events().size(), 1U);
}

TEST_F(BlockPageServerTest, BadFormsAreRefusedAndChangeNothing) {
  const auto good = token();
  EXPECT_EQ(post("/worry", {{"token", good}, {"about", "not_a_topic"}, {"message", "x"}}).status,
            400);
  EXPECT_EQ(post("/worry", {{"token", good}, {"message", "x"}}).status, 400);
  EXPECT_EQ(
      post("/worry", {{"token", good}, {"about", "bullying"}, {"message", std::string(2001, 'a')}})
          .status,
      400);
  EXPECT_EQ(post("/review", {{"token", good}, {"message", std::string(501, 'a')}}).status, 400);
  // 500 characters of two bytes each fit: the limit counts characters.
  std::string accents;
  for (int i = 0; i < 500; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(post("/review", {{"token", good}, {"message", accents}}).status, 200);
  EXPECT_EQ(post("/other", {{"token", good}}).status, 404);
  EXPECT_EQ(request("POST", host("0-casino.info"), "/worry", std::string(9000, 'a')).status, 413);
  EXPECT_EQ(request("POST", host("0-casino.info"), "/worry", "{}", {}, "application/json").status,
            415);
  EXPECT_EQ(request("PUT", host("0-casino.info"), "/").status, 405);
  // No site to review under an address.
  EXPECT_EQ(post("/review", {{"token", token("127.0.0.1")}}, "127.0.0.1").status, 400);
  EXPECT_EQ(events().size(), 1U);  // the accented one
}

// Issue 14: the block page took reports from any local account, and looked the sender up only
// after reading the body, whatever the state of its socket.
TEST_F(BlockPageServerTest, ReportsComeOnlyFromAnEstablishedConnectionOfAnAccountOtherThanRoot) {
  const auto good = token();
  const std::vector<std::pair<std::string, std::string>> worry{
      {"token", good}, {"about", "bullying"}, {"message", "hi"}};
  owner_.uid = 0;  // root's program
  auto reply = post("/worry", worry);
  EXPECT_EQ(reply.status, 403);
  EXPECT_NE(reply.body.find("web browser of the person using this laptop"), std::string::npos);
  owner_.uid.reset();  // not on this laptop, or closed (not established) by now
  EXPECT_EQ(post("/worry", worry).status, 403);
  EXPECT_TRUE(events().empty());
  owner_.uid = FixedOwner::kChild;
  EXPECT_EQ(post("/worry", worry).status, 200);
  EXPECT_EQ(events().size(), 1U);
}

TEST_F(BlockPageServerTest, AFloodOfWorriesIsCountedInOneEventAndEveryoneIsThanked) {
  const auto good = token();
  for (int i = 0; i < 25; ++i) {
    const auto reply =
        post("/worry",
             {{"token", good}, {"about", "bullying"}, {"message", "worry " + std::to_string(i)}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("Thank you for telling us"), std::string::npos);
  }
  EXPECT_EQ(events().size(), 10U);  // ReportLimits::worryReports; the rest wait for the window
  EXPECT_EQ(reports_.flush(true), 1U);
  const auto saved = events();
  ASSERT_EQ(saved.size(), 11U);
  EXPECT_EQ(saved.back().payload->getValue<Poco::Int64>("count"), 15);
  EXPECT_EQ(saved.back().payload->getValue<std::string>("message"), "worry 24");
}

// An outbox that cannot be written (here: opened read-only, as `status` opens it) must not
// leave a child believing their worry was sent.
TEST_F(BlockPageServerTest, AReportThatCannotBeSavedSaysSoAndWhatToDo) {
  outbox::Outbox readOnly(dir_.file("outbox.db"), outbox::Outbox::Access::ReadOnly);
  ReportLimiter reports(readOnly, {});
  BlockPageServer server({.address = "127.0.0.1", .port = 0}, test_.filter, nullptr, reports,
                         owner_);
  Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
  const auto get = [&](HTTPRequest& request, const std::string& body) {
    request.setHost("0-casino.info", server.port());
    session.sendRequest(request) << body;
    HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    return std::pair{static_cast<int>(response.getStatus()), text};
  };
  HTTPRequest page(HTTPRequest::HTTP_GET, "/", HTTPRequest::HTTP_1_1);
  const auto [status, html] = get(page, "");
  EXPECT_EQ(status, 200);
  std::smatch token;
  ASSERT_TRUE(std::regex_search(html, token, std::regex(R"re(name="token" value="([^"]+)")re")));
  const auto form = formEncode({{"token", token[1]}, {"about", "bullying"}, {"message", "help"}});
  HTTPRequest post(HTTPRequest::HTTP_POST, "/worry", HTTPRequest::HTTP_1_1);
  post.setContentType("application/x-www-form-urlencoded");
  post.setContentLength64(static_cast<Poco::Int64>(form.size()));
  const auto [saved, answer] = get(post, form);
  EXPECT_EQ(saved, 500);
  EXPECT_NE(answer.find("Sorry, that was not sent"), std::string::npos);
  EXPECT_NE(answer.find("Please tell a youth worker"), std::string::npos);
  EXPECT_NE(answer.find("0800 1111"), std::string::npos);
  EXPECT_TRUE(events().empty());
}

TEST_F(BlockPageServerTest, APortInUseIsSaidPlainly) {
  Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
  try {
    const BlockPageServer second({.address = "127.0.0.1", .port = taken.address().port()},
                                 test_.filter, nullptr, reports_, owner_);
    FAIL() << "listened on a port in use";
  } catch (const BlockPageError& error) {
    EXPECT_NE(std::string(error.what()).find("blockpage.port"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace clubsafe::agent::notices
