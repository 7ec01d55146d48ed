// List subscriptions against a small HTTP server this test runs on 127.0.0.1: the real fetcher,
// real SQLite, real lists compiled into real index files.
#include "collector/subscriptions/subscription_service.hpp"
#include "collector/subscriptions/list_fetcher.hpp"

#include "collector/tls/self_signed_certificate.hpp"
#include "common/tls.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

namespace clubsafe::collector {
namespace {

using testing::at;

// What the list's server answers: `status` with `body` and `etag`, or 304 when the request's
// If-None-Match is the ETag. It remembers the validators it was sent.
struct ListServerState {
  std::mutex mutex;
  int status = 200;
  std::string body;
  std::string etag;
  std::string lastModified = "Sat, 05 Dec 2026 18:00:00 GMT";
  std::string sentIfNoneMatch;
  std::string sentIfModifiedSince;
  int requests = 0;
};

class ListHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ListHandler(ListServerState& state) : state_(state) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::lock_guard lock(state_.mutex);
    ++state_.requests;
    state_.sentIfNoneMatch = request.get("If-None-Match", "");
    state_.sentIfModifiedSince = request.get("If-Modified-Since", "");
    if (state_.status == 200 && !state_.etag.empty() && state_.sentIfNoneMatch == state_.etag) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
      response.send();
      return;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(state_.status));
    if (!state_.etag.empty()) response.set("ETag", state_.etag);
    response.set("Last-Modified", state_.lastModified);
    response.setContentLength(static_cast<std::streamsize>(state_.body.size()));
    response.send() << state_.body;
  }

 private:
  ListServerState& state_;
};

class ListHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ListHandlerFactory(ListServerState& state) : state_(state) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new ListHandler(state_);
  }

 private:
  ListServerState& state_;
};

const ChangeAuthor kManager{"manager", "The club's extra gambling list"};

class SubscriptionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    filtering_.prepare();
    server_.start();
    url_ = "http://127.0.0.1:" + std::to_string(server_.port()) + "/lists/gambling.txt";
    serve(200, "casino.test\nbet.test\n", "\"v1\"");
  }
  void TearDown() override { server_.stop(); }

  void serve(int status, std::string body, std::string etag = {}) {
    std::lock_guard lock(state_.mutex);
    state_.status = status;
    state_.body = std::move(body);
    state_.etag = std::move(etag);
  }

  std::int64_t subscribe() {
    return service_.subscribe(
        {.url = url_, .format = "plain", .category = "gambling", .refreshHours = 24}, kManager,
        at("2026-12-05T18:00:00Z"));
  }

  const Stores& stores() { return storage_.stores; }
  std::int64_t policyVersion() { return stores().filtering.currentPolicy().version; }
  std::string importedText() {
    for (const auto& list : stores().filtering.listFilterLists()) {
      if (list.category == "gambling") return stores().filtering.filterListText(list.id);
    }
    return {};
  }

  testing::TestStorage storage_;
  FilteringService filtering_{storage_.stores.filtering, storage_.directory.path() / "index"};
  static constexpr std::size_t kMaxBytes = 1000;
  SubscriptionService service_{storage_.stores.subscriptions, storage_.stores.filtering, filtering_,
                               kMaxBytes};
  ListServerState state_;
  Poco::Net::HTTPServer server_{new ListHandlerFactory(state_),
                                Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
                                new Poco::Net::HTTPServerParams};
  std::string url_;
};

TEST_F(SubscriptionServiceTest, AChangedListIsImportedAndAnUnchangedOneIsNot) {
  const auto id = subscribe();
  const auto before = policyVersion();
  auto after = service_.refresh(id, at("2026-12-05T18:00:00Z"));
  EXPECT_EQ(after.failure, "");
  EXPECT_EQ(importedText(), "casino.test\nbet.test\n");
  EXPECT_EQ(policyVersion(), before + 1);
  EXPECT_EQ(after.etag, "\"v1\"");
  ASSERT_TRUE(after.changedAt.has_value());
  const auto audit = stores().audit.listAudit(10);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const AuditEntry& entry) {
    return entry.action == "filter_list.import" && entry.actor == "system";
  }));

  // 304: the validators go with the request, nothing is imported.
  after = service_.refresh(id, at("2026-12-06T18:00:00Z"));
  EXPECT_EQ(state_.sentIfNoneMatch, "\"v1\"");
  EXPECT_EQ(state_.sentIfModifiedSince, "Sat, 05 Dec 2026 18:00:00 GMT");
  EXPECT_EQ(policyVersion(), before + 1);
  EXPECT_EQ(after.succeededAt, at("2026-12-06T18:00:00Z"));
  EXPECT_EQ(after.changedAt, at("2026-12-05T18:00:00Z"));

  // 200 with a changed body: a new version holding it.
  serve(200, "casino.test\npoker.test\n", "\"v2\"");
  after = service_.refresh(id, at("2026-12-07T18:00:00Z"));
  EXPECT_EQ(after.failure, "");
  EXPECT_EQ(importedText(), "casino.test\npoker.test\n");
  EXPECT_EQ(policyVersion(), before + 2);
  EXPECT_EQ(after.etag, "\"v2\"");
}

TEST_F(SubscriptionServiceTest, AFailureOrAnOversizeListKeepsTheLastGoodCopyAndIsShown) {
  const auto id = subscribe();
  (void)service_.refresh(id, at("2026-12-05T18:00:00Z"));
  const auto version = policyVersion();

  serve(500, "oops");
  auto after = service_.refresh(id, at("2026-12-06T18:00:00Z"));
  EXPECT_NE(after.failure.find("500"), std::string::npos) << after.failure;
  EXPECT_EQ(after.failingSince, at("2026-12-06T18:00:00Z"));
  EXPECT_EQ(importedText(), "casino.test\nbet.test\n");
  EXPECT_EQ(policyVersion(), version);

  serve(200, std::string(kMaxBytes + 1, 'a'), "\"big\"");
  after = service_.refresh(id, at("2026-12-06T19:00:00Z"));
  EXPECT_NE(after.failure.find("larger than"), std::string::npos) << after.failure;
  EXPECT_EQ(after.failingSince, at("2026-12-06T18:00:00Z"));  // the first failure in a row
  EXPECT_EQ(importedText(), "casino.test\nbet.test\n");

  serve(200, "# nothing but a comment\n", "\"empty\"");
  after = service_.refresh(id, at("2026-12-06T20:00:00Z"));
  EXPECT_NE(after.failure.find("last good one stays"), std::string::npos) << after.failure;
  EXPECT_EQ(policyVersion(), version);

  serve(200, "casino.test\nbet.test\n", "\"v1\"");
  after = service_.refresh(id, at("2026-12-06T21:00:00Z"));
  EXPECT_EQ(after.failure, "");
  EXPECT_FALSE(after.failingSince.has_value());
  EXPECT_EQ(policyVersion(), version);  // the same copy as the one in force
}

TEST_F(SubscriptionServiceTest, RefreshesFollowEachSubscriptionsScheduleAndRetryFailuresSooner) {
  const auto id = subscribe();
  EXPECT_EQ(service_.refreshDue(at("2026-12-05T18:00:00Z")), 1U);  // never fetched
  EXPECT_EQ(service_.refreshDue(at("2026-12-06T17:59:00Z")), 0U);
  EXPECT_EQ(service_.refreshDue(at("2026-12-06T18:00:00Z")), 1U);
  serve(500, "");
  EXPECT_EQ(service_.refreshDue(at("2026-12-07T18:00:00Z")), 1U);
  EXPECT_EQ(service_.refreshDue(at("2026-12-07T18:59:00Z")), 0U);
  EXPECT_EQ(service_.refreshDue(at("2026-12-07T19:00:00Z")), 1U);  // retried after an hour
  EXPECT_EQ(state_.requests, 4);
  (void)id;
}

TEST_F(SubscriptionServiceTest, BadSubscriptionsAreRefusedWithNothingStored) {
  const auto refused = [&](NewSubscription subscription, ChangeAuthor author = kManager) {
    try {
      (void)service_.subscribe(subscription, author, at("2026-12-05T18:00:00Z"));
    } catch (const FilteringError&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused({.url = "ftp://example.org/x",
                       .format = "plain",
                       .category = "gambling",
                       .refreshHours = 24}));
  EXPECT_TRUE(refused(
      {.url = "not an address", .format = "plain", .category = "gambling", .refreshHours = 24}));
  EXPECT_TRUE(
      refused({.url = url_, .format = "excel", .category = "gambling", .refreshHours = 24}));
  EXPECT_TRUE(
      refused({.url = url_, .format = "plain", .category = "Bad Name", .refreshHours = 24}));
  EXPECT_TRUE(refused({.url = url_, .format = "plain", .category = "gambling", .refreshHours = 0}));
  EXPECT_TRUE(refused({.url = url_, .format = "plain", .category = "gambling", .refreshHours = 24},
                      {"manager", ""}));
  EXPECT_TRUE(stores().subscriptions.listSubscriptions().empty());
  (void)subscribe();
  EXPECT_TRUE(
      refused({.url = url_, .format = "plain", .category = "gambling", .refreshHours = 24}));
  EXPECT_EQ(stores().subscriptions.listSubscriptions().size(), 1U);
}

// An HTTPS server whose certificate no CA signed: the download is refused before any list is
// read, and nothing is imported.
TEST_F(SubscriptionServiceTest, AnHttpsServerWhoseCertificateIsNotTrustedIsRefused) {
  const auto certificate = (storage_.directory.path() / "list.crt").string();
  const auto key = (storage_.directory.path() / "list.key").string();
  ASSERT_TRUE(ensureSelfSignedCertificate(certificate, key, {"localhost"}, {"127.0.0.1"}));
  Poco::Net::HTTPServer secure(
      new ListHandlerFactory(state_),
      Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64,
                                    common::makeServerContext(certificate, key)),
      new Poco::Net::HTTPServerParams);
  secure.start();
  const auto result = fetchList(
      {.url = "https://127.0.0.1:" + std::to_string(secure.port()) + "/lists/gambling.txt",
       .etag = {},
       .lastModified = {},
       .maxBytes = kMaxBytes,
       .timeout = std::chrono::seconds(10)});
  secure.stop();
  EXPECT_EQ(result.outcome, FetchResult::Outcome::Failed);
  EXPECT_NE(result.problem.find("could not be downloaded"), std::string::npos) << result.problem;
  EXPECT_TRUE(result.body.empty());
  EXPECT_EQ(state_.requests, 0);  // refused in the handshake, before any request
}

TEST(ListFetcherTest, ARedirectMayNotLeaveEncryption) {
  EXPECT_FALSE(redirectKeepsEncryption("https://lists.example/gambling.txt",
                                       "http://lists.example/gambling.txt"));
  EXPECT_FALSE(redirectKeepsEncryption("HTTPS://lists.example/a", "http://mirror.example/a"));
  EXPECT_TRUE(redirectKeepsEncryption("https://lists.example/a", "https://mirror.example/a"));
  EXPECT_TRUE(redirectKeepsEncryption("http://lists.example/a", "https://lists.example/a"));
  EXPECT_TRUE(redirectKeepsEncryption("http://lists.example/a", "http://mirror.example/a"));
}

}  // namespace
}  // namespace clubsafe::collector
