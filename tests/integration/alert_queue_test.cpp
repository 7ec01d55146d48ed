// The DSL's alert queue (SPEC C8) against the real collector: alerts and a worry report sent
// through the real device API are queued by severity then age; the DSL sees an alert's words
// and that person's hour either side, acknowledges, assigns and closes it (a reason required),
// every look is in the access log; a manager who is not a DSL gets 403 and only counts.
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

using common::EventType;
using namespace std::chrono_literals;

const std::string kScript = "<script>alert('x')</script>";
const std::string kImage = "\"><img src=x onerror=alert(1)>";

class AlertQueueIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    manager_ = std::make_unique<ConsoleClient>(collector_);
    dsl_ = addUser("dee", {"dsl"});
    (void)addUser("dan", {"dsl", "manager"});
  }

  std::unique_ptr<ConsoleClient> addUser(const std::string& name,
                                         const std::vector<std::string>& roles) {
    Poco::JSON::Object user;
    user.set("username", name);
    Poco::JSON::Array list;
    for (const auto& role : roles) list.add(role);
    user.set("roles", list);
    const auto added = manager_->post("/api/console/users", toJson(user));
    if (added.status != 201) throw std::runtime_error("adding " + name + ": " + added.body);
    return std::make_unique<ConsoleClient>(
        collector_, name, parseObject(added.body)->getValue<std::string>("one_time_password"));
  }

  common::Event event(EventType type, common::Timestamp time, const std::string& member) {
    common::Event event;
    event.deviceId = agent_.deviceId();
    event.sequence = ++sequence_;
    event.time = time;
    event.type = type;
    event.osUser = "club";
    event.member = member;
    return event;
  }

  common::Event alert(common::Timestamp time, int severity, const std::string& phrase) {
    auto alert = event(EventType::SafeguardingAlert, time, "M-7");
    alert.payload->set("category", "selfharm");
    alert.payload->set("severity", severity);
    alert.payload->set("phrase", phrase);
    alert.payload->set("context", "searched for " + phrase + " " + kScript);
    alert.payload->set("source", "search");
    alert.payload->set("rule", "selfharm: " + phrase);
    alert.payload->set("matched", phrase + kImage);
    alert.payload->set("why", "the words matched the phrase");
    return alert;
  }

  common::Event search(common::Timestamp time, const std::string& member,
                       const std::string& terms) {
    auto search = event(EventType::SearchTerm, time, member);
    search.payload->set("engine", "ddg");
    search.payload->set("terms", terms);
    search.payload->set("searched", common::formatTimestamp(time));
    return search;
  }

  void send(const std::vector<common::Event>& events) {
    const auto answer = agent_.sendEvents(collector_, events);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  Poco::JSON::Object::Ptr getOk(const ConsoleClient& client, const std::string& path) {
    const auto answer = client.get(path);
    EXPECT_EQ(answer.status, 200) << path << ": " << answer.body;
    return parseObject(answer.body);
  }

  std::vector<std::int64_t> severities() {
    const auto alerts = getOk(*dsl_, "/api/console/alerts")->getArray("alerts");
    std::vector<std::int64_t> found;
    for (std::size_t i = 0; i < alerts->size(); ++i) {
      found.push_back(alerts->getObject(i)->getValue<std::int64_t>("severity"));
    }
    return found;
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> manager_;
  std::unique_ptr<ConsoleClient> dsl_;
  std::int64_t sequence_ = 0;
};

TEST_F(AlertQueueIntegration, TheDslWorksAnAlertFromTheQueueAndEveryLookIsLogged) {
  const auto now = common::nowUtc();
  auto worry = event(EventType::WorryReport, now - 10min, "M-9");
  worry.payload->set("about", "someone online");
  worry.payload->set("message", kScript);
  send({search(now - 90min, "M-7", "outside the hour"), search(now - 50min, "M-7", "before"),
        search(now - 40min, "M-8", "someone else"), alert(now - 30min, 3, "low"),
        alert(now - 20min, 5, "high"), search(now - 10min, "M-7", "after"), worry});

  EXPECT_EQ(severities(), (std::vector<std::int64_t>{5, 5, 3}));  // then oldest first
  const auto queue = getOk(*dsl_, "/api/console/alerts")->getArray("alerts");
  const auto high = queue->getObject(0);
  EXPECT_EQ(high->getValue<std::string>("kind"), "safeguarding_alert");
  EXPECT_EQ(queue->getObject(1)->getValue<std::string>("kind"), "worry_report");
  const auto id = std::to_string(high->getValue<std::int64_t>("id"));
  const auto worryId = std::to_string(queue->getObject(1)->getValue<std::int64_t>("id"));

  // The manager who is not a DSL: 403 on everything but the dashboard's counts.
  EXPECT_EQ(manager_->get("/api/console/alerts").status, 403);
  EXPECT_EQ(manager_->get("/api/console/alerts/" + id).status, 403);
  EXPECT_EQ(manager_->post("/api/console/alerts/" + id + "/acknowledge").status, 403);
  EXPECT_EQ(manager_->get("/api/console/access-log").status, 403);
  const auto today = common::formatTimestamp(now).substr(0, 10);
  const auto dashboard = manager_->get("/api/console/dashboard?from=" + today + "&to=" + today);
  EXPECT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_NE(dashboard.body.find("\"alerts\""), std::string::npos);  // counted
  EXPECT_EQ(dashboard.body.find("high"), std::string::npos);        // never the words

  const auto detail = getOk(*dsl_, "/api/console/alerts/" + id);
  const auto words = detail->getObject("event");
  EXPECT_EQ(words->getValue<std::string>("matched"), "high" + kImage);  // as sent, inert in JSON
  EXPECT_EQ(words->getValue<std::string>("context"), "searched for high " + kScript);
  EXPECT_EQ(words->getValue<std::string>("why"), "the words matched the phrase");
  EXPECT_EQ(detail->getValue<std::string>("member"), "M-7");
  EXPECT_EQ(detail->getValue<std::string>("account"), "club");
  EXPECT_FALSE(detail->getValue<std::string>("laptop").empty());
  const auto context = detail->getArray("context");
  std::vector<std::string> terms;
  for (std::size_t i = 0; i < context->size(); ++i) {
    terms.push_back(context->getObject(i)->getValue<std::string>("search_terms"));
  }
  // M-7's searches within the hour, oldest first; not M-8's, not the alerts themselves.
  EXPECT_EQ(terms, (std::vector<std::string>{"before", "after"}));

  EXPECT_EQ(dsl_->post("/api/console/alerts/" + id + "/acknowledge").status, 200);
  EXPECT_EQ(dsl_->post("/api/console/alerts/" + id + "/acknowledge").status, 409);
  EXPECT_EQ(dsl_->post("/api/console/alerts/" + id + "/assign", R"({"to":"dan"})").status, 200);
  EXPECT_EQ(dsl_->post("/api/console/alerts/" + id + "/assign", R"({"to":"admin"})").status, 400)
      << "the first manager is no DSL";
  const auto noReason =
      dsl_->post("/api/console/alerts/" + id + "/close", R"({"as":"false_positive","reason":" "})");
  EXPECT_EQ(noReason.status, 400);
  EXPECT_NE(noReason.body.find("reason is required"), std::string::npos) << noReason.body;
  EXPECT_EQ(getOk(*dsl_, "/api/console/alerts/" + id)->getValue<std::string>("state"),
            "acknowledged");
  const auto closed = dsl_->post("/api/console/alerts/" + id + "/close",
                                 R"({"as":"false_positive","reason":"a song lyric"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(parseObject(closed.body)->getValue<std::string>("state"), "closed_false_positive");

  const auto history = getOk(*dsl_, "/api/console/alerts/" + id)->getArray("history");
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->getObject(1)->getValue<std::string>("note"), "assigned to dan");
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("note"), "a song lyric");
  EXPECT_EQ(history->getObject(2)->getValue<std::string>("by"), "dee");

  const auto rules = getOk(*dsl_, "/api/console/alerts/false-positives")->getArray("rules");
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ(rules->getObject(0)->getValue<std::string>("phrase"), "high");
  EXPECT_EQ(rules->getObject(0)->getValue<std::int64_t>("false_positives"), 1);

  EXPECT_EQ(
      getOk(*dsl_, "/api/console/alerts?state=closed_false_positive")->getArray("alerts")->size(),
      1u);
  EXPECT_EQ(dsl_->get("/api/console/alerts?state=gone").status, 400);

  // The worry report: the young person's words, as sent.
  const auto worryDetail = getOk(*dsl_, "/api/console/alerts/" + worryId);
  EXPECT_EQ(worryDetail->getObject("event")->getValue<std::string>("message"), kScript);
  EXPECT_EQ(worryDetail->getValue<std::string>("member"), "M-9");

  // Four looks at the detail, each in the access log, newest first.
  const auto records = getOk(*dsl_, "/api/console/access-log")->getArray("records");
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ(records->getObject(0)->getValue<std::string>("what"), "alert " + worryId);
  for (std::size_t i = 1; i < records->size(); ++i) {
    EXPECT_EQ(records->getObject(i)->getValue<std::string>("viewer"), "dee");
    EXPECT_EQ(records->getObject(i)->getValue<std::string>("kind"), "alert");
    EXPECT_EQ(records->getObject(i)->getValue<std::string>("what"), "alert " + id);
  }
}

}  // namespace
}  // namespace clubsafe::testing
