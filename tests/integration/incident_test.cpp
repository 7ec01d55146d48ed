// The incident log (SPEC C9) against the real collector: a DSL opens an incident from an alert
// sent through the real device API (the alert is escalated into it), writes and corrects the
// chronology, ticks appendix 2's actions, records a decision to share and one not to share,
// prints the summary and closes the incident with its lessons learnt; every look is in the
// access log; markup typed anywhere comes back as the same text; a manager who is not a DSL
// gets 403 everywhere but the counts.
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace clubsafe::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

class IncidentIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    manager_ = std::make_unique<ConsoleClient>(collector_);
    Poco::JSON::Object user;
    user.set("username", "dee");
    Poco::JSON::Array roles;
    roles.add("dsl");
    user.set("roles", roles);
    const auto added = manager_->post("/api/console/users", toJson(user));
    ASSERT_EQ(added.status, 201) << added.body;
    dsl_ = std::make_unique<ConsoleClient>(
        collector_, "dee", parseObject(added.body)->getValue<std::string>("one_time_password"));
  }

  // Sends a safeguarding alert about `member` and returns its id in the DSL's queue.
  std::string sendAlert(std::int64_t sequence = 1, const std::string& member = "M-7") {
    common::Event alert;
    alert.deviceId = agent_.deviceId();
    alert.sequence = sequence;
    alert.time = common::nowUtc() - 5min;
    alert.type = common::EventType::SafeguardingAlert;
    alert.osUser = "club";
    alert.member = member;
    alert.payload->set("category", "bullying");
    alert.payload->set("severity", 4);
    alert.payload->set("phrase", "they all hate me");
    alert.payload->set("context", "searched for they all hate me");
    alert.payload->set("source", "search");
    alert.payload->set("rule", "bullying: they all hate me");
    alert.payload->set("matched", "they all hate me");
    alert.payload->set("why", "the words matched the phrase");
    const auto sent = agent_.sendEvents(collector_, {alert});
    if (sent.status != 200) throw std::runtime_error("sending the alert: " + sent.body);
    return queryDatabase(collector_.database(), "SELECT MAX(id) FROM alert_cases").at(0).at(0);
  }

  HttpResult dslPost(const std::string& path, const Poco::JSON::Object& body) const {
    return dsl_->post(path, toJson(body));
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> manager_;
  std::unique_ptr<ConsoleClient> dsl_;
};

TEST_F(IncidentIntegration, ADslRunsAnIncidentFromAlertToClosure) {
  const auto alertId = sendAlert();
  const auto terms = parseObject(dsl_->get("/api/console/incidents").body);
  EXPECT_EQ(terms->getArray("categories")->size(), 8U);
  EXPECT_EQ(terms->getArray("actions")->size(), 13U);

  Poco::JSON::Object opening;
  opening.set("category", "cyberbullying");
  opening.set("title", kHostile);
  Poco::JSON::Array alerts;
  alerts.add(std::stoll(alertId));
  opening.set("alerts", alerts);
  Poco::JSON::Array staff;
  staff.add("Jo " + kHostile);
  opening.set("staff", staff);
  opening.set("what_happened", "Told Jo: " + kHostile);
  const auto opened = dslPost("/api/console/incidents", opening);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const auto incident = parseObject(opened.body);
  const auto id = std::to_string(incident->getValue<std::int64_t>("id"));
  const auto base = "/api/console/incidents/" + id;
  EXPECT_EQ(incident->getValue<std::string>("title"), kHostile);
  EXPECT_TRUE(incident->getValue<bool>("held"));
  const auto involved = incident->getObject("involved");
  EXPECT_EQ(involved->getArray("members")->getElement<std::string>(0), "M-7");
  EXPECT_EQ(involved->getArray("staff")->getElement<std::string>(0), "Jo " + kHostile);
  EXPECT_EQ(involved->getArray("laptops")->getElement<std::string>(0), agent_.deviceId());
  EXPECT_EQ(involved->getArray("events")->getObject(0)->getValue<std::int64_t>("seq"), 1);
  EXPECT_EQ(incident->getArray("chronology")->getObject(1)->getValue<std::string>("text"),
            "Told Jo: " + kHostile);
  EXPECT_EQ(queryDatabase(collector_.database(),
                          "SELECT state, incident_id FROM alert_cases WHERE id = ?", {alertId}),
            (std::vector<std::vector<std::string>>{{"escalated", id}}));
  EXPECT_EQ(dslPost("/api/console/incidents", opening).status, 409);  // escalated already

  const auto laterAlert = sendAlert(2, "M-9");
  Poco::JSON::Object more;
  Poco::JSON::Array moreAlerts;
  moreAlerts.add(std::stoll(laterAlert));
  more.set("alerts", moreAlerts);
  const auto added = dslPost(base + "/involved", more);
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(parseObject(added.body)->getObject("involved")->getArray("members")->size(), 2U);
  EXPECT_EQ(queryDatabase(collector_.database(),
                          "SELECT state, incident_id FROM alert_cases WHERE id = ?", {laterAlert}),
            (std::vector<std::vector<std::string>>{{"escalated", id}}));

  Poco::JSON::Object tick;
  tick.set("action", "referral_police");
  EXPECT_EQ(dslPost(base + "/actions", tick).status, 400);  // a referral needs its reference
  tick.set("reference", "KP-101-" + kHostile);
  ASSERT_EQ(dslPost(base + "/actions", tick).status, 200);
  tick.set("action", "dsl_notified");
  ASSERT_EQ(dslPost(base + "/actions", tick).status, 200);

  Poco::JSON::Object entry;
  entry.set("text", kHostile);
  const auto written = parseObject(dslPost(base + "/entries", entry).body);
  const auto entries = written->getArray("chronology");
  const auto wrongId = entries->getObject(entries->size() - 1)->getValue<std::int64_t>("id");
  entry.set("text", "A correction");
  entry.set("corrects", wrongId);
  const auto corrected = parseObject(dslPost(base + "/entries", entry).body);
  const auto last =
      corrected->getArray("chronology")->getObject(corrected->getArray("chronology")->size() - 1);
  EXPECT_EQ(last->getValue<std::int64_t>("corrects"), wrongId);
  EXPECT_EQ(corrected->getArray("chronology")
                ->getObject(corrected->getArray("chronology")->size() - 2)
                ->getValue<std::string>("text"),
            kHostile);

  Poco::JSON::Object share;
  share.set("shared", true);
  share.set("what", "screenshots");
  share.set("with_whom", "Kent Police");
  share.set("purpose", "investigation");
  share.set("reason", "threats were made");
  EXPECT_EQ(dslPost(base + "/sharing", share).status, 400);  // no lawful basis given
  share.set("lawful_basis", "public task");
  ASSERT_EQ(dslPost(base + "/sharing", share).status, 200);
  Poco::JSON::Object withhold;
  withhold.set("shared", false);
  withhold.set("what", "browsing history");
  withhold.set("with_whom", "a parent of another member");
  withhold.set("purpose", "they asked");
  withhold.set("reason", "not necessary; not theirs to have");
  const auto shared = parseObject(dslPost(base + "/sharing", withhold).body);
  ASSERT_EQ(shared->getArray("sharing")->size(), 2U);
  EXPECT_FALSE(shared->getArray("sharing")->getObject(1)->getValue<bool>("shared"));

  const auto pdf = dsl_->get(base + "/summary.pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));

  Poco::JSON::Object closing;
  closing.set("outcome", "Resolved with both families");
  EXPECT_EQ(dslPost(base + "/close", closing).status, 400);  // no lessons learnt
  closing.set("lessons_learnt", "Remind members how to report");
  const auto closed = dslPost(base + "/close", closing);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_FALSE(parseObject(closed.body)->getValue<bool>("held"));
  EXPECT_EQ(dslPost(base + "/entries", entry).status, 409);

  const auto views = queryDatabase(collector_.database(),
                                   "SELECT DISTINCT viewer, filter FROM access_log "
                                   "WHERE kind = 'incident' ORDER BY filter");
  EXPECT_EQ(views, (std::vector<std::vector<std::string>>{{"dee", "incident " + id},
                                                          {"dee", "incident summary " + id}}));
}

TEST_F(IncidentIntegration, AManagerWhoIsNotADslSeesOnlyTheCounts) {
  Poco::JSON::Object opening;
  opening.set("category", "filtering_breach");
  opening.set("title", "A proxy site got through");
  const auto opened = dslPost("/api/console/incidents", opening);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const auto base =
      "/api/console/incidents/" + std::to_string(parseObject(opened.body)->getValue<int>("id"));

  EXPECT_EQ(manager_->get("/api/console/incidents").status, 403);
  EXPECT_EQ(manager_->get(base).status, 403);
  EXPECT_EQ(manager_->get(base + "/summary.pdf").status, 403);
  EXPECT_EQ(manager_->post("/api/console/incidents", toJson(opening)).status, 403);
  EXPECT_EQ(manager_->post(base + "/entries", R"({"text":"x"})").status, 403);
  const auto counts = manager_->get("/api/console/incidents/counts");
  ASSERT_EQ(counts.status, 200);
  EXPECT_EQ(parseObject(counts.body)->getValue<int>("open"), 1);
  EXPECT_EQ(parseObject(counts.body)->getValue<int>("closed"), 0);
  EXPECT_EQ(queryDatabase(collector_.database(),
                          "SELECT COUNT(*) FROM access_log WHERE kind = 'incident' AND viewer <> "
                          "'dee'"),
            (std::vector<std::vector<std::string>>{{"0"}}));
}

}  // namespace
}  // namespace clubsafe::testing
