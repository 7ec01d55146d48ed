// Workers' own unlocks (SPEC C4): override events sent through the real device API; a youth
// worker's console account sees the unlocks made with the PIN of their name, a manager sees
// everyone's, a trustee none.
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

using common::EventType;

class UnlocksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    manager_ = std::make_unique<ConsoleClient>(collector_);
  }

  std::unique_ptr<ConsoleClient> addUser(const std::string& name, const std::string& role) {
    Poco::JSON::Object user;
    user.set("username", name);
    Poco::JSON::Array roles;
    roles.add(role);
    user.set("roles", roles);
    const auto added = manager_->post("/api/console/users", toJson(user));
    if (added.status != 201) throw std::runtime_error("adding " + name + ": " + added.body);
    return std::make_unique<ConsoleClient>(
        collector_, name, parseObject(added.body)->getValue<std::string>("one_time_password"));
  }

  common::Event unlock(const std::string& worker, const std::string& target) {
    common::Event event;
    event.deviceId = agent_.deviceId();
    event.sequence = ++sequence_;
    event.time = common::nowUtc() - std::chrono::minutes(5);
    event.type = EventType::Override;
    event.osUser = "club";
    event.member = "Sam";
    event.payload->set("scope", "site");
    event.payload->set("target", target);
    event.payload->set("minutes", 30);
    event.payload->set("reason", "homework <script>alert(1)</script>");
    event.payload->set("worker", worker);
    return event;
  }

  static std::vector<std::string> targets(const HttpResult& answer) {
    std::vector<std::string> found;
    const auto unlocks = parseObject(answer.body)->getArray("unlocks");
    for (std::size_t i = 0; i < unlocks->size(); ++i) {
      found.push_back(unlocks->getObject(static_cast<unsigned>(i))->getValue<std::string>("site") +
                      unlocks->getObject(static_cast<unsigned>(i))
                          ->getObject("payload")
                          ->getValue<std::string>("target"));
    }
    return found;
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> manager_;
  std::int64_t sequence_ = 0;
};

TEST_F(UnlocksTest, AWorkerSeesTheirOwnUnlocksAManagerEveryonesATrusteeNone) {
  const auto will = addUser("will", "worker");
  const auto tess = addUser("tess", "trustee");
  const auto sent = agent_.sendEvents(
      collector_, {unlock("Will", "maths.example"), unlock("Jo", "games.example")});
  ASSERT_EQ(sent.status, 200) << sent.body;

  const auto own = will->get("/api/console/unlocks");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(targets(own), std::vector<std::string>{"maths.example"});
  EXPECT_FALSE(parseObject(own.body)->getValue<bool>("everyone"));
  EXPECT_NE(own.body.find("homework <script>"), std::string::npos);  // as sent: the page shows text

  const auto all = manager_->get("/api/console/unlocks");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(targets(all).size(), 2U);
  EXPECT_TRUE(parseObject(all.body)->getValue<bool>("everyone"));

  EXPECT_EQ(tess->get("/api/console/unlocks").status, 403);
}

}  // namespace
}  // namespace clubsafe::testing
