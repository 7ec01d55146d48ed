#include "collector/storage/sqlite_event_query.hpp"

#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/stored_event.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Data::Session;
namespace db = Poco::Data::Keywords;

using EventRow =
    Poco::Tuple<std::string, std::string, Poco::Int64, Poco::Int64, Poco::Int64, std::string,
                std::string, std::string, std::string, std::string, std::string, std::string,
                Poco::Nullable<Poco::Int64>, Poco::Nullable<Poco::Int64>, std::string, std::string,
                std::string, std::string>;

std::string selectColumns() {
  return "SELECT " + nameOf("e.device") + ", COALESCE(d.name, ''), e.seq, e.time, e.type, " +
         nameOf("e.os_user") + ", " + nameOf("e.member") + ", " + nameOf("e.profile") + ", " +
         nameOf("e.app") + ", " + nameOf("e.site") + ", " + nameOf("e.category") + ", " +
         nameOf("e.action") +
         ", e.amount, e.moment, COALESCE(e.payload, ''), "
         "COALESCE(json_extract(e.payload, '$.title'), ''), "
         "COALESCE(json_extract(e.payload, '$.url'), ''), "
         "COALESCE(json_extract(e.payload, '$.terms'), '') "
         "FROM events e LEFT JOIN devices d ON d.id = " +
         nameOf("e.device");
}

using Parameter = std::variant<std::string, Poco::Int64>;

// The WHERE clause and its parameters, in order.
class Conditions {
 public:
  void add(std::string sql) { sql_ += " AND " + std::move(sql); }
  // The id column holds the number of `name`; nothing when `name` is empty.
  void names(std::string_view idColumn, const std::string& name) {
    if (name.empty()) return;
    add(std::string(idColumn) + " = " + std::string(kIdOfName));
    parameters_.push_back(name);
  }
  void parameter(Parameter value) { parameters_.push_back(std::move(value)); }

  [[nodiscard]] const std::string& sql() const { return sql_; }
  [[nodiscard]] const std::vector<Parameter>& parameters() const { return parameters_; }

 private:
  // The types no filter reaches, in the words of the explorer's partial indexes.
  std::string sql_ = " WHERE " + withAlias(kExplorerIndexesTerm, "e");
  std::vector<Parameter> parameters_;
};

// The filter's names, each with the id column it is looked for in.
std::array<std::pair<std::string_view, const std::string*>, 8> namedValues(
    const EventFilter& filter) {
  return {{{"e.device", &filter.deviceId},
           {"e.member", &filter.member},
           {"e.os_user", &filter.osUser},
           {"e.profile", &filter.profile},
           {"e.app", &filter.app},
           {"e.site", &filter.site},
           {"e.category", &filter.category},
           {"e.action", &filter.action}}};
}

// Whether every name the filter asks for is one some event has carried. A name never stored
// matches nothing, and finding that out through the query walks the whole time index.
bool everyNameStored(Session& session, const EventFilter& filter) {
  return std::ranges::all_of(namedValues(filter), [&](const auto& named) {
    return named.second->empty() ||
           !query<int>(session, "SELECT 1 FROM rollup_names WHERE name = ?", *named.second).empty();
  });
}

Conditions conditionsFor(const EventFilter& filter) {
  Conditions where;
  for (const auto& [column, name] : namedValues(filter)) where.names(column, *name);
  if (filter.type) {
    where.add("e.type = ? AND " + withAlias(timeOrderTermFor(*filter.type), "e"));
    where.parameter(Poco::Int64{storedTypeCode(*filter.type)});
  }
  if (filter.from) {
    where.add("e.time >= ?");
    where.parameter(storedMilliseconds(*filter.from));
  }
  if (filter.to) {
    where.add("e.time < ?");
    where.parameter(storedMilliseconds(*filter.to));
  }
  return where;
}

ExploredEvent toEvent(const EventRow& row) {
  const auto type = typeOfStoredCode(row.get<4>());
  if (!type) {
    throw std::runtime_error("The collector database holds an event of a type it does not know (" +
                             std::to_string(row.get<4>()) + "); the file may be damaged.");
  }
  const StoredEvent stored{
      .site = row.get<9>(),
      .app = row.get<8>(),
      .category = row.get<10>(),
      .action = row.get<11>(),
      .amount = row.get<12>().isNull() ? std::nullopt : std::optional(row.get<12>().value()),
      .moment = row.get<13>().isNull() ? std::nullopt
                                       : std::optional(timeFromMilliseconds(row.get<13>().value())),
      .payload = row.get<14>(),
      .time = timeFromMilliseconds(row.get<3>())};
  return {.deviceId = row.get<0>(),
          .deviceName = row.get<1>(),
          .sequence = row.get<2>(),
          .time = timeFromMilliseconds(row.get<3>()),
          .type = std::string(common::eventTypeInfo(*type).name),
          .osUser = row.get<5>(),
          .member = row.get<6>(),
          .profile = row.get<7>(),
          .app = stored.app,
          .site = stored.site,
          .category = stored.category,
          .action = stored.action,
          .title = row.get<15>(),
          .url = row.get<16>(),
          .searchTerms = row.get<17>(),
          .payload = restoredPayload(*type, stored)};
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
    const std::string device(kIdOfName);
    where.add("e.time <= ? AND (e.time < ? OR e.device < " + device + " OR (e.device = " + device +
              " AND e.seq < ?))");
    const auto time = storedMilliseconds(after->time);
    where.parameter(time);
    where.parameter(time);
    where.parameter(after->deviceId);
    where.parameter(after->deviceId);
    where.parameter(Poco::Int64{after->sequence});
  }
  Poco::Data::Statement statement(session);
  statement << prefix + selectColumns() + where.sql() +
                   " ORDER BY e.time DESC, e.device DESC, e.seq DESC LIMIT ?";
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
  if (!everyNameStored(session, filter)) return {};

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
