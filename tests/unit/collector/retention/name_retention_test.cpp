// Retention of rollup_names: a name goes once no record refers to it, and one still referred to
// stays and reads back everywhere.
#include "collector/club_time/club_time.hpp"
#include "collector/retention/retention.hpp"
#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "tests/unit/collector/storage/store_test.hpp"

#include <Poco/Tuple.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace clubsafe::collector {
namespace {

using namespace std::chrono_literals;
using common::EventType;
using store_test::kNow;

constexpr std::chrono::days kDay{1};

// The names an event of every kind carries, each its own.
struct EventNames {
  std::string osUser = {};
  std::string member = {};
  std::string profile = {};
  std::string site = {};
  std::string app = {};
  std::string category = {};
};

class NameRetentionTest : public store_test::StoreTest {
 protected:
  void SetUp() override {
    for (const std::string id : {"dev_a", "dev_b"}) enrol(id);
  }

  // An event of `type` at `time` carrying `names` wherever its type keeps them as names.
  static common::Event eventOf(EventType type, Timestamp time, const EventNames& names) {
    common::Event event;
    event.time = time;
    event.type = type;
    event.osUser = names.osUser;
    event.member = names.member;
    event.profile = names.profile;
    for (const auto& field : common::eventTypeInfo(type).payload) {
      const std::string name(field.name);
      switch (field.kind) {
        case common::FieldKind::String:
          event.payload->set(name, common::formatTimestamp(time - 1min));
          break;
        case common::FieldKind::Integer:
          event.payload->set(name, std::max<std::int64_t>(field.range.least, 1));
          break;
        case common::FieldKind::Boolean:
          event.payload->set(name, false);
          break;
        case common::FieldKind::StringArray:
          event.payload->set(name, Poco::JSON::Array::Ptr(new Poco::JSON::Array));
          break;
        case common::FieldKind::Object:
          event.payload->set(name, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
          break;
      }
    }
    const auto setIfKept = [&](const char* field, const std::string& value) {
      if (event.payload->has(field)) event.payload->set(field, value);
    };
    setIfKept("domain", names.site);
    setIfKept("url", "https://" + names.site + "/page");
    setIfKept("category", names.category);
    setIfKept("application", names.app);
    setIfKept("agent_version", names.app);
    setIfKept("action", type == EventType::Session ? "login" : "blocked");
    return event;
  }

  void store(const std::string& deviceId, std::vector<common::Event> events) {
    for (auto& event : events) event.sequence = ++sequences_[deviceId];
    (void)stores().events.storeEvents(store_test::batchOf(deviceId, 0, std::move(events)), kNow);
  }

  // What retention does, with the default periods.
  std::size_t purge() {
    (void)purgeExpiredEvents(stores().events, RetentionPeriods{}, kNow);
    (void)stores().readModel.deleteRollupsBefore(kNow - RetentionPeriods{}.rollups);
    return stores().events.deleteUnreferencedNames();
  }

  std::set<std::string> storedNames() {
    return test_.sqlite.database().read("read the names", [](Poco::Data::Session& session) {
      const auto names = sqlite::query<std::string>(session, "SELECT name FROM rollup_names");
      return std::set<std::string>(names.begin(), names.end());
    });
  }

  std::vector<ExploredEvent> explored(const EventFilter& filter) {
    return stores().eventQuery.listEvents(filter, std::nullopt, EventQuery::kMostPerPage).events;
  }

  std::map<std::string, std::int64_t> sequences_;
};

TEST_F(NameRetentionTest, NamesOnlyExpiredRecordsReferToGoAndTheRestStayReadable) {
  // Deleted with their events (a year for usage) and their hourly totals (two years).
  const EventNames gone{.osUser = "gone.account",
                        .member = "Gone Member",
                        .profile = "gone-profile",
                        .site = "gone.test",
                        .app = "Gone App",
                        .category = "gone_category"};
  store("dev_a", {eventOf(EventType::DnsDecision, kNow - 800 * kDay, gone),
                  eventOf(EventType::AppUsage, kNow - 800 * kDay, gone),
                  eventOf(EventType::Session, kNow - 400 * kDay, gone)});
  // The events go after a year; the site's and the app's hourly totals stay two.
  const EventNames totalled{.site = "totalled.test", .app = "Totalled App"};
  store("dev_a", {eventOf(EventType::DnsDecision, kNow - 400 * kDay, totalled),
                  eventOf(EventType::AppUsage, kNow - 400 * kDay, totalled)});
  // Kept events.
  const EventNames kept{.osUser = "kept.account",
                        .member = "Kept Member",
                        .profile = "juniors",
                        .site = "kept.test",
                        .category = "games"};
  store("dev_a", {eventOf(EventType::DnsDecision, kNow - 10 * kDay, kept)});
  // The alert's event goes after six years; its case in the DSL's queue stays for good, and so
  // does the manager's alert for dev_b's tamper event.
  const EventNames alerted{.osUser = "alert.account", .member = "Alert Member"};
  store("dev_b", {eventOf(EventType::SafeguardingAlert, kNow - 7 * 365 * kDay, alerted),
                  eventOf(EventType::Tamper, kNow - 7 * 365 * kDay, alerted)});

  EXPECT_EQ(purge(), 7u);  // the six of `gone` and the session's action

  const auto names = storedNames();
  for (const auto& name : {"gone.account", "Gone Member", "gone-profile", "gone.test", "Gone App",
                           "gone_category", "login"}) {
    EXPECT_FALSE(names.contains(name)) << name;
  }
  const std::set<std::string> left{
      "dev_a", "dev_b",   "kept.account",  "Kept Member",  "juniors",       "kept.test",
      "games", "blocked", "totalled.test", "Totalled App", "alert.account", "Alert Member"};
  EXPECT_EQ(names, left);

  const auto keptEvents = explored({.member = "Kept Member"});
  ASSERT_EQ(keptEvents.size(), 1u);
  EXPECT_EQ(keptEvents[0].deviceId, "dev_a");
  EXPECT_EQ(keptEvents[0].osUser, "kept.account");
  EXPECT_EQ(keptEvents[0].profile, "juniors");
  EXPECT_EQ(keptEvents[0].site, "kept.test");
  EXPECT_EQ(keptEvents[0].category, "games");
  EXPECT_EQ(keptEvents[0].action, "blocked");

  const auto alerts = stores().alertQueue.listAlerts({}, 10, 0);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].deviceId, "dev_b");
  EXPECT_EQ(alerts[0].osUser, "alert.account");
  EXPECT_EQ(alerts[0].member, "Alert Member");
  const auto managerAlerts = stores().notifications.listManagerAlerts(true, 10);
  ASSERT_EQ(managerAlerts.size(), 1u);
  EXPECT_EQ(managerAlerts[0].deviceId, "dev_b");

  const ClubTime london("Europe/London", parseOpeningHoursSetting(""));
  const auto figures = stores().readModel.dashboard(london, kNow - 700 * kDay, kNow, 10);
  std::set<std::string> sites;
  for (const auto& site : figures.topBlockedSites) sites.insert(site.name);
  EXPECT_EQ(sites, (std::set<std::string>{"kept.test", "totalled.test"}));
  std::set<std::string> apps;
  for (const auto& app : figures.topApps) apps.insert(app.name);
  EXPECT_EQ(apps, std::set<std::string>{"Totalled App"});
}

TEST_F(NameRetentionTest, ANameThatComesBackAfterItWentIsStoredAgain) {
  // The event store remembers "Returning Member" and dev_a's numbers from storing this...
  const EventNames returning{.osUser = "returning.account",
                             .member = "Returning Member",
                             .site = "returning.test",
                             .category = "games"};
  store("dev_a", {eventOf(EventType::DnsDecision, kNow - 800 * kDay, returning)});
  // ...and, having stored a later batch, no longer takes them for a batch that failed.
  store("dev_b", {eventOf(EventType::Session, kNow - 1h, {.member = "Someone Else"})});
  ASSERT_EQ(purge(), 6u);
  ASSERT_EQ(storedNames(), (std::set<std::string>{"dev_b", "Someone Else", "login"}));

  // ...which name nothing once they went.
  store("dev_a", {eventOf(EventType::DnsDecision, kNow - 1h, returning)});
  const auto back = explored({.member = "Returning Member"});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].deviceId, "dev_a");
  EXPECT_EQ(back[0].osUser, "returning.account");
  EXPECT_EQ(back[0].site, "returning.test");
  EXPECT_EQ(stores().events.countEvents("dev_a"), 1);
  EXPECT_EQ(purge(), 0u);
}

// Guards nameColumns(): with nothing past its retention, records of every kind keep every name.
TEST_F(NameRetentionTest, RecordsOfEveryKindKeepTheirNames) {
  std::vector<common::Event> events;
  for (const auto& info : common::allEventTypes()) {
    const std::string type(info.name);
    events.push_back(eventOf(info.type, kNow - 1h,
                             {.osUser = type + ".account",
                              .member = type + " member",
                              .profile = type + "-profile",
                              .site = type + ".test",
                              .app = type + " app",
                              .category = type + "_category"}));
  }
  store("dev_a", std::move(events));
  stores().notifications.raiseLaptopSilent("dev_a", kNow - 2h, kNow);
  const auto before = storedNames();

  EXPECT_EQ(stores().events.deleteUnreferencedNames(), 0u);
  EXPECT_EQ(storedNames(), before);

  // Each event that shows there, with its names.
  for (const auto& info : common::allEventTypes()) {
    if (!shownInExplorer(info.type)) continue;
    const std::string type(info.name);
    const auto shown = explored({.type = info.type});
    ASSERT_EQ(shown.size(), 1u) << type;
    EXPECT_EQ(shown[0].member, type + " member");
    EXPECT_EQ(shown[0].osUser, type + ".account");
    EXPECT_EQ(shown[0].profile, type + "-profile");
  }
  std::set<std::string> alerted;
  for (const auto& alert : stores().alertQueue.listAlerts({}, 10, 0)) {
    EXPECT_EQ(alert.deviceId, "dev_a");
    alerted.insert(alert.member);
  }
  EXPECT_EQ(alerted, (std::set<std::string>{"safeguarding_alert member", "worry_report member"}));
  // tamper, outbox_gap, self_test_failed and laptop_silent
  const auto managerAlerts = stores().notifications.listManagerAlerts(true, 10);
  EXPECT_EQ(managerAlerts.size(), 4u);
  for (const auto& alert : managerAlerts) EXPECT_EQ(alert.deviceId, "dev_a");
  const ClubTime london("Europe/London", parseOpeningHoursSetting(""));
  const auto figures = stores().readModel.dashboard(london, kNow - kDay, kNow, 10);
  ASSERT_EQ(figures.topBlockedSites.size(), 1u);
  EXPECT_EQ(figures.topBlockedSites[0].name, "dns_decision.test");
  ASSERT_EQ(figures.topApps.size(), 1u);
  EXPECT_EQ(figures.topApps[0].name, "app_usage app");
  const auto newApps = stores().reportFigures.periodFigures(kNow - kDay, kNow).newApps;
  ASSERT_EQ(newApps.size(), 1u);
  EXPECT_EQ(newApps[0].app, "app_usage app");
}

// Every INTEGER column named as a name is is either a name's number, in nameColumns(), or one of
// these codes: a new column of a name's number left out of nameColumns() fails here.
TEST(NameColumns, EveryColumnNamedAsANameIsListedOrACode) {
  testing::TestStorage test;
  const std::set<std::string> codes{"rollup_dns.action", "rollup_dns_domains.action",
                                    "rollup_day_dns.action", "rollup_day_dns_domains.action",
                                    "rollup_span_dns_domains.action"};
  std::set<std::string> listed;
  for (const auto& named : nameColumns()) {
    listed.insert(std::string(named.table) + "." + std::string(named.column));
  }
  const auto columns =
      test.sqlite.database().read("read the schema", [](Poco::Data::Session& session) {
        return sqlite::query<std::string>(
            session,
            "SELECT t.name || '.' || c.name FROM sqlite_schema t, pragma_table_info(t.name) c "
            "WHERE t.type = 'table' AND c.type = 'INTEGER' AND c.name IN ('device', 'os_user', "
            "'member', 'profile', 'site', 'app', 'category', 'action', 'domain')");
      });
  for (const auto& column : columns) {
    EXPECT_TRUE(listed.contains(column) || codes.contains(column)) << column;
  }
  for (const auto& column : listed) {
    EXPECT_NE(std::ranges::find(columns, column), columns.end()) << column << " is not a column";
  }
}

// Each name is looked up in the indexes first, as nameColumns() says, and the columns without
// one are read once, not once a name.
TEST(NameColumns, TheSweepSearchesTheIndexesAndReadsTheRestOnce) {
  testing::TestStorage test;
  const auto plan =
      test.sqlite.database().read("explain the sweep", [](Poco::Data::Session& session) {
        const auto rows = sqlite::query<Poco::Tuple<int, int, int, std::string>>(
            session, "EXPLAIN QUERY PLAN " + unreferencedNamesSql());
        return sqlite::convertAll(rows, [](const auto& row) { return row.template get<3>(); });
      });
  const auto searches = std::ranges::count_if(plan, [](const std::string& step) {
    return step.starts_with("SEARCH ") && step.find(" USING ") != std::string::npos;
  });
  const auto indexed = std::ranges::count_if(nameColumns(), [](const NameColumn& named) {
    return named.lookup != NameColumn::Lookup::WholeColumn;
  });
  EXPECT_EQ(searches, indexed);
  EXPECT_EQ(std::ranges::count(plan, "SCAN rollup_names"), 1);
  EXPECT_EQ(std::ranges::count_if(plan,
                                  [](const std::string& step) {
                                    return step.starts_with("CORRELATED") &&
                                           step.find("LIST") != std::string::npos;
                                  }),
            0);
}

TEST_F(NameRetentionTest, ThePurgerDeletesTheNamesItsDeletionsLeft) {
  store("dev_a", {eventOf(EventType::Session, common::nowUtc() - 400 * kDay,
                          {.osUser = "gone.account", .member = "Gone Member"})});
  const RetentionPurger purger(stores().events, stores().readModel, stores().accessLog,
                               RetentionPeriods{}, 1h);
  for (int i = 0; i < 200 && !storedNames().empty(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(storedNames().empty());
}

}  // namespace
}  // namespace clubsafe::collector
