// The explorer's CSV: RFC 4180 quoting, cells a spreadsheet would run as formulas made text, and
// an export read a page at a time from a real database, whole and in order, with its outcome for
// the access log.
#include "collector/http/console/event_csv.hpp"
#include "collector/http/console/csv.hpp"
#include "collector/storage/sqlite_event_query.hpp"
#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using testing::at;

std::string record(std::initializer_list<std::string_view> fields) {
  std::string out;
  appendCsvRecord(out, fields);
  return out;
}

TEST(Csv, QuotesFieldsWithCommasQuotesAndLineBreaksOnly) {
  EXPECT_EQ(record({"plain", "", "two words"}), "plain,,two words\r\n");
  EXPECT_EQ(record({"a,b", "say \"hi\"", "line\nbreak", "cr\rhere"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\"\r\n");
}

TEST(Csv, CellsThatStartAFormulaBecomeText) {
  EXPECT_EQ(record({"=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx"}),
            "'=1+1,'+44 7700,'-2,'@SUM(A1),'\tx,\"'\rx\"\r\n");
  EXPECT_EQ(record({"=HYPERLINK(\"http://x\",\"y\")"}),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  EXPECT_EQ(record({"a=1", "1-2", "mail@x"}), "a=1,1-2,mail@x\r\n");  // only the first character
}

TEST(Csv, TextOutsideAsciiIsKeptAsItIs) {
  const std::string rightToLeft = "invoice\u202Egnp.exe";
  EXPECT_EQ(record({rightToLeft, "caf\u00e9"}), rightToLeft + ",caf\u00e9\r\n");
}

class EventCsvStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto now = at("2026-03-10T20:00:00.000Z");
    const auto token = common::sha256Hex("t");
    (void)stores().devices.createEnrolmentToken(token, "", "test", now - 1h, now + 1h, {});
    ASSERT_TRUE(stores().devices.enrolDevice(token,
                                             {.id = "dev_a",
                                              .secretHash = "x",
                                              .name = "Hall, left",
                                              .hostname = "",
                                              .os = "",
                                              .agentVersion = ""},
                                             now));
    common::Batch batch;
    batch.header = {.version = common::kBatchVersion, .deviceId = "dev_a", .backlog = 0};
    for (std::int64_t i = 1; i <= kEvents; ++i) {
      common::Event event;
      event.deviceId = "dev_a";
      event.sequence = i;
      event.time = now - std::chrono::seconds(i);
      event.type = common::EventType::SearchTerm;
      event.osUser = i % 100 == 0 ? "alex" : "";
      event.payload->set("engine", "ddg");
      event.payload->set("terms", "=cmd|' /C calc'!A0 #" + std::to_string(i));
      event.payload->set("searched", common::formatTimestamp(event.time));
      batch.events.push_back(event);
    }
    (void)stores().events.storeEvents(batch, now);
  }

  const Stores& stores() { return test_.stores; }

  static constexpr std::int64_t kEvents = 1234;  // pages of 500, 500 and 234
  testing::TestStorage test_;
  SqliteEventQuery query_{test_.sqlite.database()};
};

TEST_F(EventCsvStreamTest, AnExportHoldsEveryMatchingEventNewestFirst) {
  std::vector<CsvExportOutcome> outcomes;
  std::ostringstream read;
  {
    EventCsvStream stream(query_, {},
                          [&](const CsvExportOutcome& outcome) { outcomes.push_back(outcome); });
    read << stream.rdbuf();
    EXPECT_FALSE(stream.bad());
  }
  const auto text = read.str();
  ASSERT_TRUE(text.starts_with("\xEF\xBB\xBFtime,laptop,laptop_id,sequence,type,"));
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  EXPECT_EQ(start, text.size());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kEvents + 1));
  EXPECT_EQ(lines[1].substr(0, 55), "2026-03-10T19:59:59.000Z,\"Hall, left\",dev_a,1,search_te");
  EXPECT_NE(lines[1].find(",'=cmd|' /C calc'!A0 #1,"), std::string::npos) << lines[1];
  EXPECT_NE(lines.back().find(",1234,search_term,"), std::string::npos) << lines.back();

  ASSERT_EQ(outcomes.size(), 1U);  // once, at the end, not again when the stream goes
  EXPECT_EQ(outcomes[0].rows, kEvents);
  EXPECT_TRUE(outcomes[0].namesPerson);  // every hundredth row carries an account
  EXPECT_TRUE(outcomes[0].complete);
}

TEST_F(EventCsvStreamTest, AnExportLeftEarlySaysSoOnce) {
  std::vector<CsvExportOutcome> outcomes;
  {
    EventCsvStream stream(query_, {.osUser = "nobody"},
                          [&](const CsvExportOutcome& outcome) { outcomes.push_back(outcome); });
    char first[10];
    stream.read(first, sizeof first);
  }
  ASSERT_EQ(outcomes.size(), 1U);
  EXPECT_FALSE(outcomes[0].complete);
  EXPECT_TRUE(outcomes[0].namesPerson);  // the filter names a person, whatever it found
  EXPECT_EQ(outcomes[0].rows, 0);
}

}  // namespace
}  // namespace clubsafe::collector
