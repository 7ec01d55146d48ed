// Bad requests to the device API are refused with the right status and store nothing.
#include "tests/integration/harness.hpp"

#include <Poco/String.h>

#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

class Refusals : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    authorization_ = agent_.authorization();
  }

  static std::string batch(std::int64_t firstSequence, int count, const std::string& deviceId) {
    return heartbeatBatch(deviceId, firstSequence, count);
  }

  HttpResult send(const std::string& body, const std::string& authorization) const {
    return httpsRequest(collector_.port(), "POST", "/api/device/v1/events", body,
                        {{"Authorization", authorization}});
  }

  std::string storedEvents() const {
    return queryDatabase(collector_.database(), "SELECT COUNT(*) FROM events")[0][0];
  }

  TempDir dir_;
  Collector collector_{dir_, {"ingest.max_body_bytes=65536"}};
  Agent agent_{dir_};
  std::string authorization_;
};

TEST_F(Refusals, AGoodBatchIsStoredOnceEvenWhenSentTwice) {
  const auto body = batch(1, 3, agent_.deviceId());
  const auto first = send(body, authorization_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(parseObject(first.body)->getValue<int>("stored"), 3);
  const auto again = send(body, authorization_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(parseObject(again.body)->getValue<int>("stored"), 0);
  EXPECT_EQ(parseObject(again.body)->getValue<int>("highest_seq"), 3);
  EXPECT_EQ(storedEvents(), "3");
}

TEST_F(Refusals, WrongCredentialsAreRefused) {
  const auto body = batch(1, 1, agent_.deviceId());
  EXPECT_EQ(send(body, "").status, 401);
  EXPECT_EQ(send(body, "Bearer " + agent_.deviceId() + ".wrong-secret").status, 401);
  EXPECT_EQ(send(body, "Bearer dev_0000000000000000." + agent_.deviceSecret()).status, 401);
  EXPECT_EQ(send(body, "Basic " + agent_.deviceSecret()).status, 401);
  EXPECT_EQ(storedEvents(), "0");
}

TEST_F(Refusals, ABatchNamingAnotherDeviceIsRefused) {
  EXPECT_EQ(send(batch(1, 1, "dev_someone_else"), authorization_).status, 403);
  EXPECT_EQ(storedEvents(), "0");
}

TEST_F(Refusals, MalformedJsonIsRefusedWith400) {
  for (const std::string body : {"", "{", "not json", "{\"version\":1}", "[1,2,3]"}) {
    const auto answer = send(body, authorization_);
    EXPECT_EQ(answer.status, 400) << body;
    EXPECT_TRUE(parseObject(answer.body)->has("error"));
  }
  // One bad event spoils the whole batch: nothing half-applied.
  auto body = batch(1, 5, agent_.deviceId());
  body.replace(body.rfind("\"queue_depth\":0"), 15, "\"queue_depth\":\"0\"");
  EXPECT_EQ(send(body, authorization_).status, 400);
  EXPECT_EQ(storedEvents(), "0");
}

TEST_F(Refusals, ABatchNotSentAsJsonIsRefusedWith415) {
  const auto body = batch(1, 1, agent_.deviceId());
  const auto sendAs = [&](const std::string& type) {
    return httpsRequest(collector_.port(), "POST", "/api/device/v1/events", body,
                        {{"Authorization", authorization_}, {"Content-Type", type}});
  };
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "application/jsonp"}) {
    const auto answer = sendAs(type);
    EXPECT_EQ(answer.status, 415) << type;
    EXPECT_NE(parseObject(answer.body)->getValue<std::string>("error").find("application/json"),
              std::string::npos)
        << answer.body;
  }
  EXPECT_EQ(storedEvents(), "0");
  // What the agent sends (application/json), with a charset too.
  EXPECT_EQ(sendAs("application/json; charset=utf-8").status, 200);
  EXPECT_EQ(storedEvents(), "1");
}

TEST_F(Refusals, AnOversizedBatchIsRefusedWith413) {
  EXPECT_EQ(send(batch(1, 1001, agent_.deviceId()), authorization_).status, 413);
  EXPECT_EQ(send(std::string(70000, ' '), authorization_).status, 413);
  EXPECT_EQ(storedEvents(), "0");
}

TEST_F(Refusals, ARevokedDeviceIsRefused) {
  ASSERT_EQ(send(batch(1, 1, agent_.deviceId()), authorization_).status, 200);
  const ConsoleClient console(collector_);
  const auto revoked = console.post("/api/console/devices/" + agent_.deviceId() + "/revoke");
  ASSERT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_EQ(send(batch(2, 1, agent_.deviceId()), authorization_).status, 401);
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/device/v1/policy", "",
                         {{"Authorization", authorization_}})
                .status,
            401);
  EXPECT_EQ(storedEvents(), "1");
}

TEST_F(Refusals, PolicyIsServedWithAnETag) {
  const auto policy = httpsRequest(collector_.port(), "GET", "/api/device/v1/policy", "",
                                   {{"Authorization", authorization_}});
  ASSERT_EQ(policy.status, 200);
  const auto etag = policy.headers.at("ETag");
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/device/v1/policy", "",
                         {{"Authorization", authorization_}, {"If-None-Match", etag}})
                .status,
            304);
}

TEST_F(Refusals, ConsoleChangesNeedTheCsrfToken) {
  const ConsoleClient console(collector_);
  EXPECT_EQ(console.get("/api/console/devices").status, 200);
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/console/devices").status, 401);
  // Same cookie, no CSRF token:
  const auto login =
      httpsRequest(collector_.port(), "POST", "/api/console/login",
                   R"({"username":"manager","password":"a long password for tests"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const auto cookie = login.headers.at("Set-Cookie");
  const auto attributes = Poco::toLower(cookie.substr(cookie.find(';')));
  EXPECT_NE(attributes.find("; httponly"), std::string::npos) << cookie;
  EXPECT_NE(attributes.find("; secure"), std::string::npos) << cookie;
  EXPECT_NE(attributes.find("; samesite=strict"), std::string::npos) << cookie;
  const auto answer = httpsRequest(collector_.port(), "POST", "/api/console/enrolment-tokens", "{}",
                                   {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  EXPECT_EQ(answer.status, 403);
}

TEST_F(Refusals, ABodyAHandlerIgnoresDoesNotSpoilTheNextRequestOnTheConnection) {
  const ConsoleClient console(collector_);
  const auto created = console.post("/api/console/enrolment-tokens", R"({"label":"spare"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = std::to_string(parseObject(created.body)->getValue<int>("id"));
  const auto results = httpsRequestsOnOneConnection(
      collector_.port(), {{"POST", "/api/console/enrolment-tokens/" + id + "/revoke",
                           R"({"unread":"body"})", console.headers()},
                          {"GET", "/api/console/session", "", console.headers()}});
  EXPECT_EQ(results[0].status, 204) << results[0].body;
  EXPECT_EQ(results[1].status, 200) << results[1].body;
}

}  // namespace
}  // namespace clubsafe::testing
