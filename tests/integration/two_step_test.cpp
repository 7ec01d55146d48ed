// Two-step sign-in (SPEC C4) against the real collector, with the codes of Debian's oathtool
// (the reference implementation of RFC 6238 any authenticator app agrees with): a club that
// requires it of DSLs sends a new DSL to set it up before anything else; the DSL sets it up,
// then signs in with a code, which is refused when sent again, and with a recovery code, which
// works once; a manager resets it after a lost phone, audited; the key is never logged. A role
// the collector does not know in auth.require_totp_for stops it with a clear message.
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <chrono>

namespace clubsafe::testing {
namespace {

// The code an authenticator app shows for `key` (base32, as the console shows it) `ahead`
// from now.
std::string oathtoolCode(const std::string& key, std::chrono::seconds ahead = 0s) {
  const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch() + ahead)
                      .count();
  const auto result =
      runCommand("/usr/bin/oathtool", {"--totp", "-b", key, "--now", "@" + std::to_string(at)});
  if (result.status != 0) throw std::runtime_error("oathtool failed: " + result.output);
  return result.output.substr(0, result.output.find('\n'));
}

std::string jsonBody(const std::map<std::string, std::string>& fields) {
  Poco::JSON::Object body;
  for (const auto& [name, value] : fields) body.set(name, value);
  return toJson(body);
}

HttpResult passwordStep(std::uint16_t port, const std::string& name) {
  return httpsRequest(port, "POST", "/api/console/login",
                      jsonBody({{"username", name}, {"password", kConsolePassword}}));
}

HttpResult codeStep(std::uint16_t port, const std::string& pending, const std::string& code) {
  return httpsRequest(port, "POST", "/api/console/login/code",
                      jsonBody({{"pending_sign_in", pending}, {"code", code}}));
}

// The password step, which must ask for a code: the pending sign-in's token.
std::string pendingSignIn(std::uint16_t port, const std::string& name) {
  const auto answer = passwordStep(port, name);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_FALSE(answer.headers.contains("Set-Cookie")) << "no session before the code";
  const auto json = parseObject(answer.body);
  EXPECT_TRUE(json->optValue("code_needed", false));
  return json->optValue<std::string>("pending_sign_in", "");
}

class TwoStepTest : public ::testing::Test {
 protected:
  void SetUp() override { collector_.start(); }

  // A DSL the manager adds, signed in with their one-time password, which they replace.
  ConsoleClient addDsl(const ConsoleClient& manager) {
    Poco::JSON::Object user;
    user.set("username", "dee");
    Poco::JSON::Array roles;
    roles.add("dsl");
    user.set("roles", roles);
    const auto added = manager.post("/api/console/users", toJson(user));
    if (added.status != 201) throw std::runtime_error("adding dee: " + added.body);
    const auto json = parseObject(added.body);
    deeId_ = json->getValue<std::int64_t>("id");
    return {collector_, "dee", json->getValue<std::string>("one_time_password")};
  }

  TempDir dir_;
  Collector collector_{dir_,
                       {"auth.sign_in_burst=10000", "auth.sign_in_attempts_per_minute=10000",
                        "auth.require_totp_for=dsl"}};
  std::int64_t deeId_ = 0;
};

TEST_F(TwoStepTest, ADslSetsItUpThenSignsInWithCodesAndAManagerResetsIt) {
  const ConsoleClient manager(collector_);  // a manager: not required of them here
  EXPECT_EQ(manager.get("/api/console/devices").status, 200);
  const auto dee = addDsl(manager);

  // Required and not set up: nothing but setting it up (and the session) until it is.
  const auto session = parseObject(dee.get("/api/console/session").body);
  EXPECT_TRUE(session->getValue<bool>("must_set_up_two_step"));
  const auto refused = dee.get("/api/console/filtering/categories");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("two-step"), std::string::npos) << refused.body;

  const auto started = dee.post("/api/console/two-step/start");
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(started.headers.at("Cache-Control"), "no-store");
  const auto key = parseObject(started.body)->getValue<std::string>("key");
  const auto uri = parseObject(started.body)->getValue<std::string>("uri");
  std::string bareKey = key;
  std::erase(bareKey, ' ');
  EXPECT_EQ(bareKey.size(), 32U);  // 160 bits
  EXPECT_EQ(uri.find("otpauth://totp/ClubSafe:dee?secret=" + bareKey + "&"), 0U) << uri;

  EXPECT_EQ(dee.post("/api/console/two-step/confirm", jsonBody({{"code", "000000"}})).status, 400);
  const auto confirmed =
      dee.post("/api/console/two-step/confirm", jsonBody({{"code", oathtoolCode(key)}}));
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const auto codes = parseObject(confirmed.body)->getArray("recovery_codes");
  ASSERT_EQ(codes->size(), 10U);
  EXPECT_EQ(dee.get("/api/console/filtering/categories").status, 200);
  // Never given out again.
  EXPECT_EQ(dee.post("/api/console/two-step/start").status, 409);
  EXPECT_EQ(dee.get("/api/console/two-step").body.find(bareKey), std::string::npos);

  // Signing in: the password, then the app's code (the next step's: the set-up code is spent).
  const auto code = oathtoolCode(key, 30s);
  const auto signedIn = codeStep(collector_.port(), pendingSignIn(collector_.port(), "dee"), code);
  ASSERT_EQ(signedIn.status, 200) << signedIn.body;
  EXPECT_TRUE(signedIn.headers.contains("Set-Cookie"));
  // The same code again, inside its window: refused.
  const auto replay = codeStep(collector_.port(), pendingSignIn(collector_.port(), "dee"), code);
  EXPECT_EQ(replay.status, 401) << replay.body;

  // A recovery code works once.
  const auto recovery = codes->getElement<std::string>(0);
  EXPECT_EQ(codeStep(collector_.port(), pendingSignIn(collector_.port(), "dee"), recovery).status,
            200);
  EXPECT_EQ(codeStep(collector_.port(), pendingSignIn(collector_.port(), "dee"), recovery).status,
            401);

  // A lost phone: the manager resets it, in the audit log; dee's sessions end.
  const auto reset =
      manager.post("/api/console/users/" + std::to_string(deeId_) + "/reset-two-step");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_FALSE(parseObject(reset.body)->getValue<bool>("two_step_on"));
  EXPECT_EQ(dee.get("/api/console/session").status, 401);
  const auto audit = queryDatabase(collector_.database(),
                                   "SELECT actor, target FROM audit_log WHERE action = "
                                   "'console.two_step_reset'");
  ASSERT_EQ(audit.size(), 1U);
  EXPECT_EQ(audit.at(0), (std::vector<std::string>{"manager", "dee"}));
  // The password alone signs in again, to a session that must set it up first.
  const auto again = passwordStep(collector_.port(), "dee");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(parseObject(again.body)->getValue<bool>("must_set_up_two_step"));

  EXPECT_EQ(collector_.output().find(bareKey), std::string::npos) << "the key is never logged";
  EXPECT_EQ(collector_.output().find(recovery), std::string::npos);
}

TEST_F(TwoStepTest, TheSecondStepRefusesBadInputAndUnknownSignIns) {
  const auto port = collector_.port();
  EXPECT_EQ(codeStep(port, "made-up", "123456").status, 401);
  EXPECT_EQ(httpsRequest(port, "POST", "/api/console/login/code", "{}").status, 400);
  EXPECT_EQ(httpsRequest(port, "POST", "/api/console/login/code", "not json").status, 400);
  EXPECT_EQ(codeStep(port, std::string(200, 'x'), "123456").status, 400);
}

TEST(TwoStepSetting, ARoleTheCollectorDoesNotKnowStopsItWithAClearMessage) {
  TempDir dir;
  const Collector collector(dir, {"auth.require_totp_for=dsl, boss"});
  const auto result = runCommand(collectorBinary(), collector.settings(), 30s);
  EXPECT_NE(result.status, 0);
  EXPECT_NE(
      result.output.find("Setting \"auth.require_totp_for\" names \"boss\", which is no role: "
                         "use manager, dsl, worker or trustee, separated by commas."),
      std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace clubsafe::testing
