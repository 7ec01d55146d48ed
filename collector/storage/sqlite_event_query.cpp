#include "collector/storage/sqlite_event_query.hpp"

#include "collector/storage/sqlite_query.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Data::Session;
namespace db = Poco::Data::Keywords;

// These expressions must stay, character for character, those of migration 9's indexes:
// SQLite uses an index on an expression only for the same expression. A test checks the plans.
constexpr std::string_view kSite =
    "CASE WHEN type = 'browser_visit' THEN lower(substr(substr(json_extract(payload, '$.url'), "
    "instr(json_extract(payload, '$.url'), '://') + 3), 1, instr(substr(json_extract(payload, "
    "'$.url'), instr(json_extract(payload, '$.url'), '://') + 3) || '/', '/') - 1)) ELSE "
    "json_extract(payload, '$.domain') END";
constexpr std::string_view kApp = "json_extract(payload, '$.application')";
constexpr std::string_view kCategory = "json_extract(payload, '$.category')";
constexpr std::string_view kAction = "json_extract(payload, '$.action')";

using EventRow =
    Poco::Tuple<std::string, std::string, Poco::Int64, std::string, std::string, std::string,
                std::string, std::string, std::string, std::string, std::string, std::string,
                std::string, std::string, std::string, std::string>;

std::string orEmpty(std::string_view expression) {
  return "COALESCE(" + std::string(expression) + ", '')";
}

std::string selectColumns() {
  return "SELECT e.device_id, COALESCE(d.name, ''), e.seq, e.time, e.type, e.os_user, e.member, "
         "e.profile, " +
         orEmpty(kApp) + ", " + orEmpty(kSite) + ", " + orEmpty(kCategory) + ", " +
         orEmpty(kAction) + ", " + orEmpty("json_extract(payload, '$.title')") + ", " +
         orEmpty("json_extract(payload, '$.url')") + ", " +
         orEmpty("json_extract(payload, '$.terms')") +
         ", e.payload FROM events e LEFT JOIN devices d ON d.id = e.device_id";
}

// The types no filter reaches, as a SQL list of names.
std::string hiddenTypes() {
  std::string list;
  for (const auto& info : common::allEventTypes()) {
    if (shownInExplorer(info.type)) continue;
    list += (list.empty() ? "'" : ", '") + std::string(info.name) + "'";
  }
  return list;
}

using Parameter = std::variant<std::string, Poco::Int64>;

// The WHERE clause and its parameters, in order.
class Conditions {
 public:
  void add(std::string sql) { sql_ += " AND " + std::move(sql); }
  void equals(std::string_view expression, const std::string& value) {
    if (value.empty()) return;
    add(std::string(expression) + " = ?");
    parameters_.push_back(value);
  }
  void parameter(Parameter value) { parameters_.push_back(std::move(value)); }

  [[nodiscard]] const std::string& sql() const { return sql_; }
  [[nodiscard]] const std::vector<Parameter>& parameters() const { return parameters_; }

 private:
  std::string sql_ = " WHERE e.type NOT IN (" + hiddenTypes() + ")";
  std::vector<Parameter> parameters_;
};

Conditions conditionsFor(const EventFilter& filter) {
  Conditions where;
  where.equals("e.device_id", filter.deviceId);
  // The same terms as the partial indexes' WHERE, so that SQLite knows it may use them.
  if (!filter.member.empty()) where.add("member <> ''");
  where.equals("e.member", filter.member);
  if (!filter.osUser.empty()) where.add("os_user <> ''");
  where.equals("e.os_user", filter.osUser);
  where.equals("e.profile", filter.profile);
  where.equals(kApp, filter.app);
  where.equals(kSite, filter.site);
  where.equals(kCategory, filter.category);
  where.equals(kAction, filter.action);
  if (filter.type) where.equals("e.type", std::string(common::eventTypeInfo(*filter.type).name));
  if (filter.from) {
    where.add("e.time >= ?");
    where.parameter(text(*filter.from));
  }
  if (filter.to) {
    where.add("e.time < ?");
    where.parameter(text(*filter.to));
  }
  return where;
}

ExploredEvent toEvent(const EventRow& row) {
  return {.deviceId = row.get<0>(),
          .deviceName = row.get<1>(),
          .sequence = row.get<2>(),
          .time = readTime(row.get<3>()),
          .type = row.get<4>(),
          .osUser = row.get<5>(),
          .member = row.get<6>(),
          .profile = row.get<7>(),
          .app = row.get<8>(),
          .site = row.get<9>(),
          .category = row.get<10>(),
          .action = row.get<11>(),
          .title = row.get<12>(),
          .url = row.get<13>(),
          .searchTerms = row.get<14>(),
          .payload = row.get<15>()};
}

}  // namespace

namespace {

// The page's statement, ready to run: `limit` is the number of rows to fetch.
Poco::Data::Statement pageStatement(Session& session, const std::string& prefix,
                                    const EventFilter& filter,
                                    const std::optional<EventCursor>& after, Poco::Int64 limit) {
  Conditions where = conditionsFor(filter);
  if (after) {
    // The time alone bounds the index range; device and sequence break ties within a time.
    where.add("e.time <= ? AND (e.time < ? OR e.device_id < ? OR (e.device_id = ? AND e.seq < ?))");
    const auto time = text(after->time);
    where.parameter(time);
    where.parameter(time);
    where.parameter(after->deviceId);
    where.parameter(after->deviceId);
    where.parameter(Poco::Int64{after->sequence});
  }
  Poco::Data::Statement statement(session);
  statement << prefix + selectColumns() + where.sql() +
                   " ORDER BY e.time DESC, e.device_id DESC, e.seq DESC LIMIT ?";
  for (const auto& parameter : where.parameters()) {
    std::visit([&](const auto& value) { statement.addBind(db::bind(value)); }, parameter);
  }
  statement.addBind(db::bind(limit));
  return statement;
}

}  // namespace

EventPage selectEventPage(Session& session, const EventFilter& filter,
                          const std::optional<EventCursor>& after, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit, 1, EventQuery::kMostPerPage);
  if (filter.type && !shownInExplorer(*filter.type)) return {};

  // One row more than the page says whether more follow.
  std::vector<EventRow> rows;
  auto statement = pageStatement(session, "", filter, after, static_cast<Poco::Int64>(limit + 1));
  statement, db::into(rows);
  statement.execute();

  EventPage page;
  page.events = convertAll(rows, toEvent);
  if (page.events.size() > limit) {
    page.events.resize(limit);
    page.next = page.events.back().cursor();
  }
  return page;
}

std::vector<std::string> explainEventPage(Session& session, const EventFilter& filter,
                                          const std::optional<EventCursor>& after) {
  std::vector<Poco::Tuple<int, int, int, std::string>> plan;
  auto statement = pageStatement(session, "EXPLAIN QUERY PLAN ", filter, after, 100);
  statement, db::into(plan);
  statement.execute();
  return convertAll(plan, [](const auto& row) { return row.template get<3>(); });
}

EventPage SqliteEventQuery::listEvents(const EventFilter& filter,
                                       const std::optional<EventCursor>& after, std::size_t limit) {
  return database_.read("list events", [&](Session& session) {
    return selectEventPage(session, filter, after, limit);
  });
}

}  // namespace clubsafe::collector
