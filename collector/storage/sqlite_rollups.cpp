#include "collector/storage/sqlite_rollups.hpp"

#include "collector/storage/sqlite_day_rollups.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/sqlite_statement.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <array>
#include <sstream>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using common::EventType;
using Poco::Int64;

constexpr Int64 kMillisecondsPerHour = 3600 * 1000;
constexpr std::array<std::string_view, 5> kActionNames{"other", "allowed", "blocked", "rewritten",
                                                       "nxdomain"};

Int64 hourOf(Int64 milliseconds) {
  return milliseconds >= 0 ? milliseconds / kMillisecondsPerHour
                           : (milliseconds - kMillisecondsPerHour + 1) / kMillisecondsPerHour;
}

// Payload fields read leniently: decodeBatch checks them on the way in, and a rollup must never
// refuse a batch the events table took, so a missing or unreadable field counts as nothing.
Int64 payloadInteger(const common::Event& event, const std::string& name) {
  try {
    return event.payload->has(name) ? event.payload->getValue<Int64>(name) : 0;
  } catch (const Poco::Exception&) {
    return 0;
  }
}

// A report the laptop's rate limit folded into one stands for `count` reports
// (agent/notices/report_limiter.hpp); decodeBatch keeps a laptop's figures within what a real
// agent sends (common/event.cpp), so none can overflow the sums or fill the tables.
Int64 reportsStoodFor(const common::Event& event) {
  return std::max<Int64>(payloadInteger(event, "count"), 1);
}

bool payloadFlag(const common::Event& event, const std::string& name) {
  try {
    return event.payload->has(name) && event.payload->getValue<bool>(name);
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::string jsonArrayText(const common::Event& event, const std::string& name) {
  if (!event.payload->has(name) || event.payload->getArray(name).isNull()) return "[]";
  std::ostringstream out;
  event.payload->getArray(name)->stringify(out);
  return out.str();
}

}  // namespace

RollupAction rollupActionOf(std::string_view action) {
  for (std::size_t i = 1; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == action) return static_cast<RollupAction>(i);
  }
  return RollupAction::Other;
}

std::string_view rollupActionName(RollupAction action) {
  return kActionNames.at(static_cast<std::size_t>(action));
}

HourlyRollup::HourlyRollup(Poco::Data::Session& session, std::string deviceId, NameIds& names,
                           common::Timestamp receivedAt)
    : session_(session),
      deviceId_(std::move(deviceId)),
      names_(names),
      receivedAt_(sqlite::storedMilliseconds(receivedAt)) {}

// A fact dated after its batch arrived would stay the newest until that date, so one event
// dated 2099 froze a laptop in the in-use-now view, signed in and in front of its app.
HourlyRollup::Milliseconds HourlyRollup::factTime(common::Timestamp time) const {
  return std::min(sqlite::storedMilliseconds(time), receivedAt_);
}

void HourlyRollup::add(const common::Event& event, const StoredEvent& stored) {
  lastEventAt_ = std::max(lastEventAt_, factTime(event.time));
  count(event, RollupCount::Events);
  switch (event.type) {
    case EventType::DnsDecision:
      addDnsDecision(event, stored);
      break;
    case EventType::AppUsage:
      addAppUsage(event, stored);
      break;
    case EventType::Session:
      if (stored.action == "login") count(event, RollupCount::Logins);
      break;
    case EventType::MemberSignIn:
      count(event, RollupCount::SignIns);
      break;
    case EventType::SearchTerm:
      count(event, RollupCount::Searches);
      break;
    case EventType::BrowserVisit:
      count(event, RollupCount::Visits);
      break;
    case EventType::NoticeAcknowledged:
      count(event,
            payloadFlag(event, "acknowledged") ? RollupCount::NoticesAcknowledged
                                               : RollupCount::NoticesNotAcknowledged,
            reportsStoodFor(event));
      break;
    case EventType::FilterSelfTest:
      count(event, payloadFlag(event, "passed") ? RollupCount::SelfTestsPassed
                                                : RollupCount::SelfTestsFailed);
      break;
    case EventType::Override:
      count(event, RollupCount::Overrides);
      break;
    case EventType::Tamper:
      count(event, RollupCount::Tamper);
      break;
    case EventType::ReviewRequest:
      count(event, RollupCount::ReviewRequests, reportsStoodFor(event));
      break;
    case EventType::SafeguardingAlert:
      count(event, RollupCount::Alerts);
      break;
    case EventType::WorryReport:  // the DSL's too: counted with the alerts
      count(event, RollupCount::Alerts, reportsStoodFor(event));
      break;
    case EventType::BlockNotice:
      count(event, RollupCount::BlockNotices);
      break;
    case EventType::OutboxGap:
      count(event, RollupCount::EventsDropped, payloadInteger(event, "dropped"));
      break;
    case EventType::Rejected:
      count(event, RollupCount::EventsRejected, payloadInteger(event, "count"));
      break;
    default:
      break;
  }
  addLatest(event, stored);
}

void HourlyRollup::count(const common::Event& event, RollupCount kind, std::int64_t amount) {
  counts_[{hourOf(sqlite::storedMilliseconds(event.time)), static_cast<int>(kind), event.member}] +=
      amount;
}

void HourlyRollup::addDnsDecision(const common::Event& event, const StoredEvent& stored) {
  // The minute the decisions were made, not when the agent wrote them down.
  const auto hour = hourOf(sqlite::storedMilliseconds(stored.moment.value_or(event.time)));
  const auto action = static_cast<int>(rollupActionOf(stored.action));
  const auto amount = stored.amount.value_or(0);
  dns_[{hour, event.member, event.profile, stored.category, action}] += amount;
  domains_[{hour, action, stored.site, stored.category}] += amount;
}

void HourlyRollup::addAppUsage(const common::Event& event, const StoredEvent& stored) {
  // An interval may cross hours (up to apps.longest_interval, 10 min): each hour gets its part.
  const auto seconds = stored.amount.value_or(0);
  auto from = stored.moment ? sqlite::storedMilliseconds(*stored.moment)
                            : sqlite::storedMilliseconds(event.time) - seconds * 1000;
  const auto to = from + seconds * 1000;
  const auto& app = stored.app;
  while (from < to) {
    const auto hour = hourOf(from);
    const auto end = std::min(to, (hour + 1) * kMillisecondsPerHour);
    apps_[{hour, event.member, app}] += (end - from) / 1000;
    from = end;
  }
  app_.offer(std::min(to, receivedAt_), app);
}

void HourlyRollup::addLatest(const common::Event& event, const StoredEvent& stored) {
  const auto at = factTime(event.time);
  switch (event.type) {
    case EventType::Heartbeat:
      heartbeat_.offer(at, {.agentVersion = stored.app, .queueDepth = stored.amount.value_or(0)});
      break;
    case EventType::FilterSelfTest:
      selfTest_.offer(at, {.passed = payloadFlag(event, "passed"),
                           .failures = jsonArrayText(event, "failures")});
      break;
    case EventType::MemberSignIn:
      member_.offer(at, event.member);
      break;
    case EventType::MemberSignOut:
      member_.offer(at, "");
      break;
    case EventType::Session:
      osUser_.offer(at, stored.action == "login" ? event.osUser : "");
      break;
    default:
      break;
  }
}

void HourlyRollup::write() {
  writeDns();
  writeApps();
  writeCounts();
  writeDays();
  writeDevice();
}

void HourlyRollup::writeDns() {
  sqlite::PreparedStatement upsert(
      session_,
      "INSERT INTO rollup_dns (hour, device_id, member, profile, category, action, count) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (hour, device_id, member, profile, category, action) "
      "DO UPDATE SET count = count + excluded.count");
  upsert.bind(2, deviceId_);
  for (const auto& [key, amount] : dns_) {
    const auto& [hour, member, profile, category, action] = key;
    upsert.bind(1, hour);
    upsert.bind(3, member);
    upsert.bind(4, profile);
    upsert.bind(5, category);
    upsert.bind(6, action);
    upsert.bind(7, amount);
    upsert.run();
  }
  if (domains_.empty()) return;
  sqlite::PreparedStatement domainUpsert(
      session_,
      "INSERT INTO rollup_dns_domains (hour, action, domain, category, count) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, action, domain, category) "
      "DO UPDATE SET count = count + excluded.count");
  for (const auto& [key, amount] : domains_) {
    const auto& [hour, action, domain, category] = key;
    domainUpsert.bind(1, hour);
    domainUpsert.bind(2, action);
    domainUpsert.bind(3, nameId(domain));
    domainUpsert.bind(4, category);
    domainUpsert.bind(5, amount);
    domainUpsert.run();
  }
}

void HourlyRollup::writeApps() {
  if (apps_.empty()) return;
  sqlite::PreparedStatement upsert(
      session_,
      "INSERT INTO rollup_apps (hour, device_id, member, app, seconds) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, device_id, member, app) "
      "DO UPDATE SET seconds = seconds + excluded.seconds");
  upsert.bind(2, deviceId_);
  for (const auto& [key, seconds] : apps_) {
    const auto& [hour, member, app] = key;
    upsert.bind(1, hour);
    upsert.bind(3, member);
    upsert.bind(4, nameId(app));
    upsert.bind(5, seconds);
    upsert.run();
  }
}

void HourlyRollup::writeCounts() {
  sqlite::PreparedStatement upsert(
      session_,
      "INSERT INTO rollup_counts (hour, device_id, kind, member, count) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, device_id, kind, member) "
      "DO UPDATE SET count = count + excluded.count");
  upsert.bind(2, deviceId_);
  for (const auto& [key, amount] : counts_) {
    const auto& [hour, kind, member] = key;
    upsert.bind(1, hour);
    upsert.bind(3, kind);
    upsert.bind(4, member);
    upsert.bind(5, amount);
    upsert.run();
  }
}

void HourlyRollup::writeDays() {
  // After writeDns and writeApps: every name has its id by now.
  DayRollup days;
  for (const auto& [key, amount] : dns_) {
    days.addDns(std::get<0>(key), std::get<4>(key), std::get<3>(key), amount);
  }
  for (const auto& [key, amount] : domains_) {
    days.addDomain(std::get<0>(key), std::get<1>(key), nameId(std::get<2>(key)), std::get<3>(key),
                   amount);
  }
  for (const auto& [key, amount] : apps_) {
    days.addApp(std::get<0>(key), nameId(std::get<2>(key)), amount);
  }
  for (const auto& [key, amount] : counts_) {
    days.addCount(std::get<0>(key), static_cast<RollupCount>(std::get<1>(key)), amount);
  }
  days.write(session_, deviceId_);
}

void HourlyRollup::writeDevice() {
  if (lastEventAt_ < 0) return;
  session_ << "INSERT INTO rollup_devices (device_id, last_event_at) VALUES (?, ?) "
              "ON CONFLICT (device_id) DO UPDATE SET "
              "last_event_at = MAX(last_event_at, excluded.last_event_at)",
      db::use(deviceId_), db::bind(lastEventAt_), db::now;
  // Each fact is replaced only by a newer one: a late batch leaves what a later one said.
  if (heartbeat_.at >= 0) {
    session_ << "UPDATE rollup_devices SET heartbeat_at = ?, agent_version = ?, queue_depth = ? "
                "WHERE device_id = ? AND COALESCE(heartbeat_at, -1) <= ?",
        db::bind(heartbeat_.at), db::bind(heartbeat_.fact.agentVersion),
        db::bind(heartbeat_.fact.queueDepth), db::use(deviceId_), db::bind(heartbeat_.at), db::now;
  }
  if (selfTest_.at >= 0) {
    session_ << "UPDATE rollup_devices SET selftest_at = ?, selftest_passed = ?, "
                "selftest_failures = ? WHERE device_id = ? AND COALESCE(selftest_at, -1) <= ?",
        db::bind(selfTest_.at), db::bind(selfTest_.fact.passed ? 1 : 0),
        db::bind(selfTest_.fact.failures), db::use(deviceId_), db::bind(selfTest_.at), db::now;
  }
  const auto writeText = [&](const Latest<std::string>& latest, const std::string& column) {
    if (latest.at < 0) return;
    session_ << "UPDATE rollup_devices SET " + column + "_at = ?, " + column +
                    " = ? WHERE device_id = ? AND COALESCE(" + column + "_at, -1) <= ?",
        db::bind(latest.at), db::bind(latest.fact), db::use(deviceId_), db::bind(latest.at),
        db::now;
  };
  writeText(member_, "member");
  writeText(osUser_, "os_user");
  writeText(app_, "app");
}

std::size_t deleteRollupsBefore(Poco::Data::Session& session, common::Timestamp cutoff) {
  // Whole UTC days only, so that a day's row and its hours always hold the same events.
  const auto day = utcDayOfHour(hourOf(sqlite::storedMilliseconds(cutoff)));
  const Int64 hour = day * 24;
  const Int64 before = sqlite::storedMilliseconds(cutoff);
  std::size_t deleted = 0;
  for (const std::string table :
       {"rollup_dns", "rollup_dns_domains", "rollup_apps", "rollup_counts"}) {
    Poco::Data::Statement statement(session);
    statement << "DELETE FROM " + table + " WHERE hour < ?", db::bind(hour);
    deleted += statement.execute();
  }
  (void)deleteDayRollupsBefore(session, day);
  // Who was signed in and what they used are about a person: forgotten with their hours.
  for (const std::string column : {"member", "os_user", "app"}) {
    session << "UPDATE rollup_devices SET " + column + " = NULL, " + column +
                   "_at = NULL "
                   "WHERE " +
                   column + "_at < ?",
        db::bind(before), db::now;
  }
  return deleted;
}

}  // namespace clubsafe::collector
