// The usage explorer against the real collector: events sent through the real device API come
// back in JSON pages and in the CSV exactly as sent (hostile text included), a page after a
// cursor stays the same while events arrive, and every look at a person is in the access log.
#include "common/batch_codec.hpp"
#include "common/time.hpp"
#include "tests/integration/harness.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace clubsafe::testing {
namespace {

using common::EventType;

const std::string kScript = "<script>alert('x')</script>";
const std::string kImage = "\"><img src=x onerror=alert(1)>";
const std::string kRightToLeft = "report\u202Efdp.exe";
const std::string kLong = std::string(10 * 1024, 'L') + "\u00e9nd";
const std::string kFormula = "=HYPERLINK(\"http://evil.test\",\"click\")";

std::string encoded(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%", out);
  return out;
}

// RFC 4180 records (CRLF between records, quotes doubled inside quoted fields).
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      records.back().push_back(std::move(field));
      field.clear();
      records.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(records.back().empty() && field.empty()) << "the CSV ends with a CRLF";
  records.pop_back();
  return records;
}

class Explorer : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_.start();
    ASSERT_EQ(agent_.enrol(collector_).status, 0);
    deviceId_ = agent_.deviceId();
    console_ = std::make_unique<ConsoleClient>(collector_);
  }

  common::Event event(EventType type, common::Timestamp time, const std::string& member) {
    common::Event event;
    event.deviceId = deviceId_;
    event.sequence = ++sequence_;
    event.time = time;
    event.type = type;
    event.osUser = "club";
    event.member = member;
    event.profile = "juniors";
    return event;
  }

  void send(const std::vector<common::Event>& events) {
    const auto answer = agent_.sendEvents(collector_, events);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  // `count` searches a second apart ending at `newest`, alternating between two members.
  void sendSearches(int count, common::Timestamp newest) {
    std::vector<common::Event> events;
    for (int i = count - 1; i >= 0; --i) {
      auto search =
          event(EventType::SearchTerm, newest - std::chrono::seconds(i), i % 2 ? "M-7" : "M-8");
      search.payload->set("engine", "ddg");
      search.payload->set("terms", "search " + std::to_string(sequence_));
      search.payload->set("searched", common::formatTimestamp(search.time));
      events.push_back(search);
    }
    send(events);
  }

  Poco::JSON::Object::Ptr page(const std::string& query) {
    const auto answer = console_->get("/api/console/events?" + query);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return parseObject(answer.body);
  }

  static std::vector<std::string> sequencesOf(const Poco::JSON::Object::Ptr& page) {
    std::vector<std::string> sequences;
    const auto events = page->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      sequences.push_back(events->getObject(i)->getValue<std::string>("sequence"));
    }
    return sequences;
  }

  std::vector<std::vector<std::string>> accessLog() {
    return queryDatabase(collector_.database(),
                         "SELECT viewer, kind, filter, rows FROM access_log ORDER BY id");
  }

  TempDir dir_;
  Collector collector_{dir_};
  Agent agent_{dir_};
  std::unique_ptr<ConsoleClient> console_;
  std::string deviceId_;
  std::int64_t sequence_ = 0;
};

TEST_F(Explorer, HostileTextComesBackIntactInJsonAndCsv) {
  const auto now = common::nowUtc();
  auto visit = event(EventType::BrowserVisit, now - std::chrono::minutes(2), "M-7");
  visit.payload->set("browser", "firefox");
  visit.payload->set("url", "https://evil.test/?q=" + kImage);
  visit.payload->set("title", kScript + kRightToLeft);
  visit.payload->set("visited", common::formatTimestamp(visit.time));
  auto search = event(EventType::SearchTerm, now - std::chrono::minutes(1), "M-7");
  search.payload->set("engine", "ddg");
  search.payload->set("terms", kFormula + kLong);
  search.payload->set("searched", common::formatTimestamp(search.time));
  auto alert = event(EventType::SafeguardingAlert, now, "M-7");
  alert.payload->set("category", "selfharm");
  alert.payload->set("severity", 4);
  alert.payload->set("phrase", "x");
  alert.payload->set("context", "x");
  alert.payload->set("source", "search");
  send({visit, search, alert});

  const auto json = page("member=M-7");
  const auto events = json->getArray("events");
  ASSERT_EQ(events->size(), 2U) << "the safeguarding alert is for the safeguarding lead only";
  const auto shownSearch = events->getObject(0);
  const auto shownVisit = events->getObject(1);
  EXPECT_EQ(shownSearch->getValue<std::string>("search_terms"), kFormula + kLong);
  EXPECT_EQ(shownVisit->getValue<std::string>("title"), kScript + kRightToLeft);
  EXPECT_EQ(shownVisit->getValue<std::string>("url"), "https://evil.test/?q=" + kImage);
  EXPECT_EQ(shownVisit->getValue<std::string>("site"), "evil.test");
  EXPECT_EQ(shownVisit->getObject("payload")->getValue<std::string>("title"),
            kScript + kRightToLeft);
  EXPECT_EQ(shownVisit->getValue<std::string>("device_id"), deviceId_);

  const auto csv = console_->get("/api/console/events.csv?member=M-7&to=" +
                                 encoded(json->getValue<std::string>("now")));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.at("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers.at("Transfer-Encoding"), "chunked");
  ASSERT_TRUE(csv.body.starts_with("\xEF\xBB\xBF"));
  const auto records = parseCsv(csv.body.substr(3));
  ASSERT_EQ(records.size(), 3U);
  const auto& header = records[0];
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  EXPECT_EQ(records[1].at(column("search_terms")), "'" + kFormula + kLong);
  EXPECT_EQ(records[1].at(column("member")), "M-7");
  EXPECT_EQ(records[2].at(column("title")), kScript + kRightToLeft);
  EXPECT_EQ(records[2].at(column("url")), "https://evil.test/?q=" + kImage);
  EXPECT_EQ(records[2].at(column("type")), "browser_visit");
  EXPECT_EQ(records[2].at(column("laptop_id")), deviceId_);
}

TEST_F(Explorer, PagesFollowTheirCursorsAndStayTheSameWhileEventsArrive) {
  const auto start = common::nowUtc() - std::chrono::hours(2);
  sendSearches(250, start);
  const auto first = page("limit=100");
  ASSERT_EQ(sequencesOf(first).size(), 100U);
  EXPECT_EQ(sequencesOf(first).front(), "250");  // newest first
  const auto cursor = first->getValue<std::string>("next");
  const auto secondBefore = page("limit=100&cursor=" + cursor);

  sendSearches(40, start + std::chrono::minutes(30));  // newer than anything shown
  const auto secondAfter = page("limit=100&cursor=" + cursor);
  EXPECT_EQ(sequencesOf(secondAfter), sequencesOf(secondBefore));
  EXPECT_EQ(secondAfter->getValue<std::string>("next"),
            secondBefore->getValue<std::string>("next"));

  const auto third = page("limit=100&cursor=" + secondAfter->getValue<std::string>("next"));
  EXPECT_EQ(sequencesOf(third).size(), 50U);
  EXPECT_TRUE(third->isNull("next"));
  EXPECT_EQ(sequencesOf(third).back(), "1");
  EXPECT_EQ(sequencesOf(page("limit=1000")).size(), 290U);
}

TEST_F(Explorer, FiltersAndTheContextLinkNarrowTheEvents) {
  const auto start = common::nowUtc() - std::chrono::hours(5);
  sendSearches(10, start);                          // sequences 1 to 10
  sendSearches(10, start + std::chrono::hours(3));  // 11 to 20, three hours later
  const auto member = page("member=M-7");
  EXPECT_EQ(sequencesOf(member).size(), 10U);
  const auto range =
      page("from=" + encoded(common::formatTimestamp(start - std::chrono::seconds(4))) +
           "&to=" + encoded(common::formatTimestamp(start)));
  EXPECT_EQ(sequencesOf(range), (std::vector<std::string>{"9", "8", "7", "6"}));

  // Context: the same member on the same laptop an hour either side, not three hours away.
  const auto row = member->getArray("events")->getObject(9);
  const auto context = page(row->getValue<std::string>("context"));
  EXPECT_EQ(sequencesOf(context), (std::vector<std::string>{"9", "7", "5", "3", "1"}));
}

TEST_F(Explorer, BadFiltersGetA400WithAPlainMessage) {
  for (const std::string query :
       {"from=yesterday", "colour=red", "limit=0", "cursor=xyz", "type=worry_report",
        "type=heartbeat", "member=a&member=b", "site=%zz"}) {
    const auto answer = console_->get("/api/console/events?" + query);
    EXPECT_EQ(answer.status, 400) << query;
    EXPECT_FALSE(parseObject(answer.body)->getValue<std::string>("error").empty());
    EXPECT_EQ(console_->get("/api/console/events.csv?" + query).status, 400) << query;
  }
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/console/events").status, 401);
  EXPECT_EQ(httpsRequest(collector_.port(), "GET", "/api/console/events.csv").status, 401);
  EXPECT_TRUE(accessLog().empty());
}

TEST_F(Explorer, EveryLookAtAPersonIsInTheAccessLog) {
  auto selfTest = event(EventType::FilterSelfTest, common::nowUtc(), "");
  selfTest.osUser = "";
  selfTest.payload->set("passed", true);
  selfTest.payload->set("failures", Poco::JSON::Array());
  send({selfTest});
  sendSearches(30, common::nowUtc() - std::chrono::hours(1));

  (void)page("type=filter_self_test");     // names no one: not logged
  (void)page("member=M-8&limit=10");       // a member named in the filter
  (void)page("type=search_term&limit=5");  // rows that carry a member
  const auto csv = console_->get("/api/console/events.csv?account=club");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 31);  // the header and 30 rows

  // The export is written once its last row has gone.
  ASSERT_TRUE(waitFor([&] { return accessLog().size() == 3; }, 5s));
  EXPECT_EQ(accessLog(),
            (std::vector<std::vector<std::string>>{{"manager", "view", "member=M-8", "10"},
                                                   {"manager", "view", "type=search_term", "5"},
                                                   {"manager", "export", "account=club", "30"}}));
}

}  // namespace
}  // namespace clubsafe::testing
