// The usage explorer's reads of raw events: newest first, filters, keyset pages that stay the
// same while events arrive, the types it never shows, the indexes each filter reads (migration
// 21's partial indexes, also on a database that had events before it), and the access log.
#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_access_log.hpp"
#include "collector/storage/sqlite_event_query.hpp"
#include "collector/storage/stored_event.hpp"
#include "common/crypto.hpp"
#include "tests/unit/collector/test_storage.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <span>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using common::EventType;
using testing::at;

const Timestamp kNow = at("2026-03-10T20:00:00.000Z");

void enrol(DeviceStore& devices, const std::string& deviceId) {
  const auto token = common::sha256Hex("token for " + deviceId);
  (void)devices.createEnrolmentToken(token, "", "test", kNow - 1h, kNow + 1h, {});
  ASSERT_TRUE(devices.enrolDevice(token,
                                  {.id = deviceId,
                                   .secretHash = "x",
                                   .name = "Laptop " + deviceId,
                                   .hostname = "",
                                   .os = "",
                                   .agentVersion = ""},
                                  kNow));
}

struct Sent {
  std::string deviceId;
  std::int64_t sequence;
  Timestamp time;
  EventType type;
  std::string osUser = {};
  std::string member = {};
  std::string profile = "juniors";
  std::map<std::string, Poco::Dynamic::Var> payload = {};
};

common::Event eventOf(const Sent& sent) {
  common::Event event;
  event.deviceId = sent.deviceId;
  event.sequence = sent.sequence;
  event.time = sent.time;
  event.type = sent.type;
  event.osUser = sent.osUser;
  event.member = sent.member;
  event.profile = sent.profile;
  if (sent.type == EventType::Heartbeat) {  // the read model reads these as it stores them
    event.payload->set("uptime_seconds", 1);
    event.payload->set("queue_depth", 0);
    event.payload->set("agent_version", "test");
  }
  for (const auto& [name, value] : sent.payload) event.payload->set(name, value);
  return event;
}

using Key = std::tuple<std::string, std::int64_t>;  // device, sequence

class EventQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    enrol(stores().devices, "dev_a");
    enrol(stores().devices, "dev_b");
  }

  const Stores& stores() { return test_.stores; }

  void send(const std::vector<Sent>& events) {
    std::map<std::string, common::Batch> batches;
    for (const auto& sent : events) {
      auto& batch = batches[sent.deviceId];
      batch.header = {.version = common::kBatchVersion, .deviceId = sent.deviceId, .backlog = 0};
      batch.events.push_back(eventOf(sent));
    }
    for (const auto& [device, batch] : batches) (void)stores().events.storeEvents(batch, kNow);
  }

  // Every matching event, page after page of `perPage`.
  std::vector<Key> all(const EventFilter& filter, std::size_t perPage = 1000) {
    std::vector<Key> keys;
    std::optional<EventCursor> after;
    for (;;) {
      const auto page = query_.listEvents(filter, after, perPage);
      for (const auto& event : page.events) keys.emplace_back(event.deviceId, event.sequence);
      if (!page.next) return keys;
      EXPECT_EQ(page.events.size(), perPage);
      after = page.next;
    }
  }

  std::vector<std::string> plan(const EventFilter& filter) {
    return test_.sqlite.database().read("explain", [&](Poco::Data::Session& session) {
      return explainEventPage(session, filter, {});
    });
  }

  testing::TestStorage test_;
  SqliteEventQuery query_{test_.sqlite.database()};
};

TEST_F(EventQueryTest, PagesGoNewestFirstByTimeDeviceAndSequenceWithoutGapsOrRepeats) {
  std::vector<Sent> sent;
  for (std::int64_t i = 1; i <= 25; ++i) {
    // Three events share each time, on both laptops: the ties are broken by device, sequence.
    const auto time = kNow - std::chrono::minutes(i / 3);
    sent.push_back({i % 2 ? "dev_a" : "dev_b", i, time, EventType::AppList});
  }
  send(sent);
  const auto keys = all({}, 4);
  ASSERT_EQ(keys.size(), 25U);
  EXPECT_EQ(std::set<Key>(keys.begin(), keys.end()).size(), 25U);

  const auto page = query_.listEvents({}, {}, 25);
  for (std::size_t i = 1; i < page.events.size(); ++i) {
    const auto& newer = page.events[i - 1];
    const auto& older = page.events[i];
    EXPECT_GT(std::tie(newer.time, newer.deviceId, newer.sequence),
              std::tie(older.time, older.deviceId, older.sequence));
  }
  EXPECT_FALSE(page.next);
  EXPECT_EQ(page.events.front().deviceName, "Laptop dev_b");  // dev_b 2 ties dev_a 1 at kNow
  EXPECT_EQ(std::vector<Key>(keys.begin(), keys.end()),
            all({}, 1000));  // one page or seven, the same events in the same order
}

TEST_F(EventQueryTest, APageAfterACursorStaysTheSameWhileNewEventsArrive) {
  std::vector<Sent> sent;
  for (std::int64_t i = 1; i <= 30; ++i)
    sent.push_back({"dev_a", i, kNow - std::chrono::minutes(i), EventType::AppList});
  send(sent);
  const auto first = query_.listEvents({}, {}, 10);
  ASSERT_TRUE(first.next);
  const auto secondBefore = query_.listEvents({}, first.next, 10);

  send({{"dev_a", 31, kNow + 1min, EventType::AppList},
        {"dev_b", 1, kNow, EventType::AppList},
        {"dev_b", 2, kNow - 2min, EventType::AppList}});  // newer than the cursor too
  const auto secondAfter = query_.listEvents({}, first.next, 10);
  ASSERT_EQ(secondAfter.events.size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(secondAfter.events[i].cursor(), secondBefore.events[i].cursor());
  }
  EXPECT_EQ(secondAfter.next, secondBefore.next);
}

TEST_F(EventQueryTest, EachFilterKeepsOnlyWhatItNames) {
  const auto t = kNow - 1h;
  const auto minute = common::formatTimestamp(t - 1min);
  send({
      {"dev_a",
       1,
       t,
       EventType::DnsDecision,
       "alex",
       "M-7",
       "juniors",
       {{"domain", "casino.test"},
        {"action", "blocked"},
        {"category", "gambling"},
        {"minute", minute},
        {"count", 3}}},
      {"dev_a",
       2,
       t + 1s,
       EventType::DnsDecision,
       "alex",
       "",
       "juniors",
       {{"domain", "news.test"}, {"action", "allowed"}, {"minute", minute}, {"count", 3}}},
      {"dev_b",
       1,
       t + 2s,
       EventType::BrowserVisit,
       "sam",
       "M-9",
       "seniors",
       {{"browser", "firefox"}, {"url", "https://Casino.test/slots?x=1"}, {"title", "Slots"}}},
      {"dev_b",
       2,
       t + 3s,
       EventType::AppUsage,
       "sam",
       "M-9",
       "seniors",
       {{"application", "minetest"},
        {"title", "Minetest"},
        {"seconds", 60},
        {"started", common::formatTimestamp(t)}}},
      {"dev_b", 3, t + 4s, EventType::Session, "sam", "", "seniors", {{"action", "login"}}},
      {"dev_b",
       4,
       t + 5s,
       EventType::SearchTerm,
       "sam",
       "M-9",
       "seniors",
       {{"engine", "ddg"}, {"terms", "how to"}}},
  });
  using V = std::vector<Key>;
  EXPECT_EQ(all({.deviceId = "dev_a"}), (V{{"dev_a", 2}, {"dev_a", 1}}));
  EXPECT_EQ(all({.member = "M-9"}), (V{{"dev_b", 4}, {"dev_b", 2}, {"dev_b", 1}}));
  EXPECT_EQ(all({.osUser = "alex"}), (V{{"dev_a", 2}, {"dev_a", 1}}));
  EXPECT_EQ(all({.member = "M-7", .profile = "seniors"}), V{});
  EXPECT_EQ(all({.profile = "seniors"}).size(), 4U);
  EXPECT_EQ(all({.app = "minetest"}), (V{{"dev_b", 2}}));
  // A site is a domain exactly: a DNS decision's, or the host of a visit's URL in lower case.
  EXPECT_EQ(all({.site = "casino.test"}), (V{{"dev_b", 1}, {"dev_a", 1}}));
  EXPECT_EQ(all({.site = "test"}), V{});
  EXPECT_EQ(all({.category = "gambling"}), (V{{"dev_a", 1}}));
  EXPECT_EQ(all({.action = "login"}), (V{{"dev_b", 3}}));
  EXPECT_EQ(all({.action = "blocked", .type = EventType::DnsDecision}), (V{{"dev_a", 1}}));
  EXPECT_EQ(all({.type = EventType::SearchTerm}), (V{{"dev_b", 4}}));
  // From inclusive, to exclusive.
  EXPECT_EQ(all({.from = t + 1s, .to = t + 3s}), (V{{"dev_b", 1}, {"dev_a", 2}}));
  EXPECT_EQ(all({.from = t + 2s,
                 .deviceId = "dev_b",
                 .member = "M-9",
                 .osUser = "sam",
                 .profile = "seniors"}),
            (V{{"dev_b", 4}, {"dev_b", 2}, {"dev_b", 1}}));

  const auto visit = query_.listEvents({.type = EventType::BrowserVisit}, {}, 10).events.at(0);
  EXPECT_EQ(visit.site, "casino.test");
  EXPECT_EQ(visit.url, "https://Casino.test/slots?x=1");
  EXPECT_EQ(visit.title, "Slots");
  EXPECT_EQ(visit.member, "M-9");
  EXPECT_EQ(visit.osUser, "sam");
  EXPECT_EQ(visit.profile, "seniors");
  EXPECT_EQ(visit.time, t + 2s);
}

TEST_F(EventQueryTest, SafeguardingAlertsWorryReportsAndHeartbeatsAreNeverShown) {
  send({{"dev_a",
         1,
         kNow,
         EventType::SafeguardingAlert,
         "alex",
         "M-7",
         "juniors",
         {{"category", "gambling"}, {"phrase", "x"}}},
        {"dev_a", 2, kNow, EventType::WorryReport, "alex", "M-7", "juniors", {{"about", "x"}}},
        {"dev_a",
         3,
         kNow,
         EventType::BlockNotice,
         "alex",
         "M-7",
         "juniors",
         {{"domain", "casino.test"}, {"category", "gambling"}}},
        {"dev_a", 4, kNow, EventType::Heartbeat, "alex", "M-7"}});
  EXPECT_EQ(all({}), (std::vector<Key>{{"dev_a", 3}}));
  EXPECT_EQ(all({.deviceId = "dev_a"}), (std::vector<Key>{{"dev_a", 3}}));
  EXPECT_EQ(all({.member = "M-7"}), (std::vector<Key>{{"dev_a", 3}}));
  EXPECT_EQ(all({.category = "gambling"}), (std::vector<Key>{{"dev_a", 3}}));
  EXPECT_TRUE(query_.listEvents({.type = EventType::SafeguardingAlert}, {}, 10).events.empty());
  EXPECT_TRUE(query_.listEvents({.type = EventType::WorryReport}, {}, 10).events.empty());
  EXPECT_TRUE(query_.listEvents({.type = EventType::Heartbeat}, {}, 10).events.empty());
}

TEST_F(EventQueryTest, HostileTextComesBackExactly) {
  const std::string script = "<script>alert(1)</script>";
  const std::string image = "\"><img src=x onerror=alert(1)>";
  const std::string rightToLeft = "invoice\u202Egnp.exe";
  const std::string long10k(10 * 1024, 'w');
  send({{"dev_a",
         1,
         kNow,
         EventType::BrowserVisit,
         "alex",
         "M-7",
         "juniors",
         {{"browser", "firefox"},
          {"url", "https://x.test/?q=" + image},
          {"title", script + rightToLeft}}},
        {"dev_a",
         2,
         kNow + 1s,
         EventType::SearchTerm,
         "alex",
         "M-7",
         "juniors",
         {{"engine", "ddg"}, {"terms", "=HYPERLINK(\"x\") " + long10k}}}});
  const auto page = query_.listEvents({}, {}, 10);
  ASSERT_EQ(page.events.size(), 2U);
  EXPECT_EQ(page.events[0].searchTerms, "=HYPERLINK(\"x\") " + long10k);
  EXPECT_EQ(page.events[1].title, script + rightToLeft);
  EXPECT_EQ(page.events[1].url, "https://x.test/?q=" + image);
}

TEST_F(EventQueryTest, EachFilterReadsItsIndexInTimeOrder) {
  const auto reads = [&](const EventFilter& filter, const std::string& index) {
    const auto lines = plan(filter);
    std::string all;
    for (const auto& line : lines) all += line + "\n";
    EXPECT_NE(all.find("USING INDEX " + index), std::string::npos) << all;
    EXPECT_EQ(all.find("SCAN e\n"), std::string::npos) << all;
  };
  reads({}, "events_by_time");
  reads({.from = kNow - 24h, .to = kNow}, "events_by_time");
  reads({.deviceId = "dev_a"}, "events_by_device_time");
  reads({.member = "M-7"}, "events_by_member_time");
  reads({.osUser = "alex"}, "events_by_os_user_time");
  reads({.app = "minetest"}, "events_by_app_time");
  reads({.site = "casino.test"}, "events_by_site_time");
  reads({.category = "gambling"}, "events_by_category_time");
  reads({.type = EventType::SearchTerm}, "events_by_type_time");
  // The type index leaves out the commonest types: one of them is read by the time index.
  reads({.type = EventType::DnsDecision}, "events_by_time");
  reads({.member = "M-7", .type = EventType::DnsDecision}, "events_by_member_time");
}

TEST_F(EventQueryTest, TheAccessLogKeepsWhoLookedAtWhatNewestFirst) {
  SqliteAccessLog log(test_.sqlite.database());
  const AccessRecord view{.time = kNow,
                          .viewer = "manager",
                          .kind = AccessKind::View,
                          .filter = "member=M-7",
                          .rows = 12};
  const AccessRecord exported{.time = kNow + 1s,
                              .viewer = "manager",
                              .kind = AccessKind::Export,
                              .filter = "account=alex&from=x",
                              .rows = 40'000};
  log.recordAccess(view);
  log.recordAccess(exported);
  EXPECT_EQ(log.listAccess(10, 0), (std::vector<AccessRecord>{exported, view}));
  EXPECT_EQ(log.listAccess(1, 0), (std::vector<AccessRecord>{exported}));
}

// A database written before migration 21 with events in it: opened by this collector, its
// indexes become partial, and the explorer, the indexes its filters read and retention all
// work on the old rows.
TEST(EventIndexesMigration, EventsStoredBeforeAreReadThroughThePartialIndexes) {
  namespace db = Poco::Data::Keywords;
  testing::TempDir directory;
  const auto file = directory.path() / "old.db";
  const auto now = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(kNow.time_since_epoch()).count());
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    const auto& all = sqliteMigrations();
    const auto before = std::ranges::find_if(
        all, [](const Migration& migration) { return migration.version >= 21; });
    (void)applyMigrations(session, std::span(all.begin(), before), kNow);
    session << "INSERT INTO rollup_names (id, name) VALUES "
               "(900, 'dev_old'), (901, 'M-1'), (902, 'casino.test'), (903, 'blocked')",
        db::now;
    // A heartbeat and a DNS decision from long ago, a heartbeat and a search of now.
    const std::string heartbeat = R"('{"uptime_seconds":1,"queue_depth":0,"agent_version":"1"}')";
    session << "INSERT INTO events (device, seq, time, type, member, site, action, amount, "
               "moment, payload, received_at) VALUES "
               "(900, 1, 1000, 1, NULL, NULL, NULL, NULL, NULL, " +
                   heartbeat +
                   ", 1000), "
                   "(900, 2, 2000, 4, 901, 902, 903, 2, 0, NULL, 2000), "
                   "(900, 3, " +
                   now + ", 1, 901, NULL, NULL, NULL, NULL, " + heartbeat + ", " + now +
                   "), "
                   "(900, 4, " +
                   now + R"(, 6, 901, NULL, NULL, NULL, NULL, '{"engine":"ddg","terms":"x"}', )" +
                   now + ")",
        db::now;
  }
  SqliteStores sqlite(file);
  SqliteEventQuery query(sqlite.database());
  const auto keys = [&](const EventFilter& filter) {
    std::vector<Key> found;
    for (const auto& event : query.listEvents(filter, {}, 10).events) {
      found.emplace_back(event.deviceId, event.sequence);
    }
    return found;
  };
  using V = std::vector<Key>;
  EXPECT_EQ(keys({}), (V{{"dev_old", 4}, {"dev_old", 2}}));
  EXPECT_EQ(keys({.member = "M-1"}), (V{{"dev_old", 4}, {"dev_old", 2}}));
  EXPECT_EQ(keys({.type = EventType::SearchTerm}), (V{{"dev_old", 4}}));
  const auto plan = [&](const EventFilter& filter) {
    return sqlite.database().read("explain", [&](Poco::Data::Session& session) {
      std::string all;
      for (const auto& line : explainEventPage(session, filter, {})) all += line + "\n";
      return all;
    });
  };
  const auto indexSql = [&](const std::string& name) {
    return sqlite.database().read("read the schema", [&](Poco::Data::Session& session) {
      std::string sql;
      session << "SELECT sql FROM sqlite_master WHERE name = ?", db::bind(name), db::into(sql),
          db::now;
      return sql;
    });
  };
  EXPECT_TRUE(indexSql("events_by_time").ends_with(kExplorerIndexesTerm));
  EXPECT_TRUE(indexSql("events_by_type_time").ends_with(kTypeIndexTerm));
  EXPECT_NE(plan({}).find("USING INDEX events_by_time"), std::string::npos);
  EXPECT_NE(plan({.member = "M-1"}).find("USING INDEX events_by_member_time"), std::string::npos);
  EXPECT_NE(plan({.type = EventType::SearchTerm}).find("USING INDEX events_by_type_time"),
            std::string::npos);

  // Retention finds each type's old events, heartbeats by the type index, DNS decisions by time.
  auto& events = sqlite.stores().events;
  EXPECT_EQ(events.deleteEventsBefore(EventType::Heartbeat, kNow - 1h), 1U);
  EXPECT_EQ(events.deleteEventsBefore(EventType::DnsDecision, kNow - 1h), 1U);
  EXPECT_EQ(events.deleteEventsBefore(EventType::SearchTerm, kNow - 1h), 0U);
  EXPECT_EQ(events.countEvents("dev_old"), 2);
}

}  // namespace
}  // namespace clubsafe::collector
