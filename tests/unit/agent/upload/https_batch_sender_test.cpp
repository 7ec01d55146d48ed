#include "agent/upload/https_batch_sender.hpp"

#include "tests/unit/agent/https_test_server.hpp"

#include <Poco/Net/SSLManager.h>
#include <gtest/gtest.h>

namespace clubsafe::agent::upload {
namespace {

constexpr const char* kEvents = "/api/device/v1/events";

class HttpsBatchSenderTest : public ::testing::Test {
 protected:
  HttpsBatchSenderTest() { Poco::Net::initializeSSL(); }
  ~HttpsBatchSenderTest() override { Poco::Net::uninitializeSSL(); }

  SendResult sendWith(const std::string& fingerprint) {
    HttpsBatchSender sender(server_.url(), {"", fingerprint}, std::chrono::seconds(5), "dev_1",
                            "secret");
    return sender.send(R"({"version":1})");
  }
  SendResult send() { return sendWith(server_.fingerprint()); }

  testing::HttpsTestServer server_;
};

TEST_F(HttpsBatchSenderTest, PostsTheBatchWithTheDeviceCredentialAndReadsTheHighestSequence) {
  server_.answer(kEvents, {200, R"({"stored": 3, "highest_seq": 41})"});
  const auto result = send();
  ASSERT_TRUE(std::holds_alternative<Stored>(result));
  EXPECT_EQ(std::get<Stored>(result).highestSequence, 41);
  const auto requests = server_.received();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].authorization, "Bearer dev_1.secret");
  EXPECT_EQ(requests[0].body, R"({"version":1})");
}

TEST_F(HttpsBatchSenderTest, MapsTheCollectorsAnswers) {
  server_.answer(kEvents, {401, R"({"error": "revoked"})"});
  EXPECT_TRUE(std::holds_alternative<Unauthorized>(send()));

  for (const int status : {400, 403, 413}) {
    server_.answer(kEvents, {status, R"({"error": "no"})"});
    const auto result = send();
    ASSERT_TRUE(std::holds_alternative<Rejected>(result)) << status;
    EXPECT_EQ(std::get<Rejected>(result).httpStatus, status);
    EXPECT_EQ(std::get<Rejected>(result).message, "no");
  }

  server_.answer(kEvents, {503, "busy"});
  EXPECT_TRUE(std::holds_alternative<Unavailable>(send()));
  server_.answer(kEvents, {200, "not json"});
  EXPECT_TRUE(std::holds_alternative<Unavailable>(send()));
}

TEST_F(HttpsBatchSenderTest, AnUnpinnedCertificateIsUnavailableAndNothingIsSent) {
  server_.answer(kEvents, {200, R"({"stored": 1, "highest_seq": 1})"});
  EXPECT_TRUE(std::holds_alternative<Unavailable>(sendWith(std::string(64, 'f'))));
  EXPECT_TRUE(server_.received().empty());
}

}  // namespace
}  // namespace clubsafe::agent::upload
