#include "collector/storage/stored_event.hpp"

#include "common/time.hpp"

#include <Poco/JSON/Stringifier.h>
#include <Poco/JSONString.h>
#include <Poco/UTF8String.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <sstream>

namespace clubsafe::collector {
namespace {

using common::EventType;

// Position + 1 is the stored number (migration 13's event_types). Append only.
constexpr std::array kStoredTypes{
    EventType::Heartbeat,
    EventType::AppList,
    EventType::AppUsage,
    EventType::DnsDecision,
    EventType::BrowserVisit,
    EventType::SearchTerm,
    EventType::Session,
    EventType::MemberSignIn,
    EventType::MemberSignOut,
    EventType::SafeguardingAlert,
    EventType::OutboxGap,
    EventType::Tamper,
    EventType::NoticeAcknowledged,
    EventType::BlockNotice,
    EventType::ReviewRequest,
    EventType::WorryReport,
    EventType::Override,
    EventType::FilterSelfTest,
    EventType::Rejected,
};

// SecondsBefore: a whole number of seconds before the event's time, kept as that moment.
enum class Column { Site, App, Category, Action, Amount, Moment, SecondsBefore };

struct MovedField {
  EventType type;
  std::string_view key;
  Column column;
};

// The payload fields kept as columns. Migrations 13, 25 and 26 moved the same fields out of the
// events stored before them; a change here needs a migration that does the same.
constexpr std::array kMovedFields{
    MovedField{EventType::AppUsage, "application", Column::App},
    MovedField{EventType::AppUsage, "seconds", Column::Amount},
    MovedField{EventType::AppUsage, "started", Column::Moment},
    MovedField{EventType::DnsDecision, "domain", Column::Site},
    MovedField{EventType::DnsDecision, "action", Column::Action},
    MovedField{EventType::DnsDecision, "category", Column::Category},
    MovedField{EventType::DnsDecision, "count", Column::Amount},
    MovedField{EventType::DnsDecision, "minute", Column::Moment},
    MovedField{EventType::Session, "action", Column::Action},
    MovedField{EventType::BlockNotice, "domain", Column::Site},
    MovedField{EventType::BlockNotice, "category", Column::Category},
    MovedField{EventType::ReviewRequest, "domain", Column::Site},
    MovedField{EventType::ReviewRequest, "category", Column::Category},
    // Migration 25: a heartbeat's agent version and queue, a visit's time. A heartbeat is a
    // quarter of all events and its JSON was most of its row; the agent's version is a name
    // like any app's, and no explorer filter reaches a heartbeat's app.
    MovedField{EventType::Heartbeat, "agent_version", Column::App},
    MovedField{EventType::Heartbeat, "queue_depth", Column::Amount},
    MovedField{EventType::BrowserVisit, "visited", Column::Moment},
    // Migration 26: a heartbeat's uptime, the last of its JSON, as the time the agent started.
    MovedField{EventType::Heartbeat, "uptime_seconds", Column::SecondsBefore},
};

const MovedField* movedField(EventType type, std::string_view key) {
  const auto* found = std::ranges::find_if(kMovedFields, [&](const MovedField& field) {
    return field.type == type && field.key == key;
  });
  return found == kMovedFields.end() ? nullptr : found;
}

// The member of `stored` (const or not) that holds a text column: Site, App, Category or Action.
template <typename Stored>
auto& textColumn(Stored& stored, Column column) {
  switch (column) {
    case Column::Site:
      return stored.site;
    case Column::App:
      return stored.app;
    case Column::Category:
      return stored.category;
    default:
      return stored.action;
  }
}

// Puts the value in its column; false, changing nothing, when it does not fit there.
bool moveToColumn(StoredEvent& stored, Column column, const Poco::Dynamic::Var& value) {
  if (column == Column::Amount) {
    if (!value.isInteger()) return false;
    stored.amount = value.convert<std::int64_t>();
    return true;
  }
  if (column == Column::SecondsBefore) {
    if (!value.isInteger()) return false;
    const auto seconds = value.convert<std::int64_t>();
    if (seconds < 0 || seconds > common::kMostSecondsCountedBack) return false;
    stored.moment = stored.time - std::chrono::seconds(seconds);
    return true;
  }
  if (!value.isString()) return false;
  const auto text = value.extract<std::string>();
  // An empty text stays in the payload: the column's "none" would lose it.
  if (text.empty()) return false;
  if (column == Column::Moment) {
    stored.moment = common::parseTimestamp(text);
    return stored.moment.has_value();
  }
  textColumn(stored, column) = text;
  return true;
}

std::string jsonString(const std::string& text) {
  return '"' + Poco::UTF8::escape(text, true) + '"';
}

// The column's value as a JSON value; empty when the column holds none.
std::string columnJson(const StoredEvent& stored, Column column) {
  switch (column) {
    case Column::Amount:
      return stored.amount ? std::to_string(*stored.amount) : std::string();
    case Column::Moment:
      return stored.moment ? jsonString(common::formatTimestamp(*stored.moment)) : std::string();
    case Column::SecondsBefore:
      return stored.moment ? std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                stored.time - *stored.moment)
                                                .count())
                           : std::string();
    default: {
      const auto& text = textColumn(stored, column);
      return text.empty() ? std::string() : jsonString(text);
    }
  }
}

}  // namespace

int storedTypeCode(EventType type) {
  return static_cast<int>(std::ranges::find(kStoredTypes, type) - kStoredTypes.begin()) + 1;
}

std::optional<EventType> typeOfStoredCode(std::int64_t code) {
  if (code < 1 || code > static_cast<std::int64_t>(kStoredTypes.size())) return std::nullopt;
  return kStoredTypes.at(static_cast<std::size_t>(code - 1));
}

std::string withAlias(std::string_view term, std::string_view alias) {
  const std::string prefix = std::string(alias) + ".";
  std::string qualified;
  for (std::size_t at = 0;;) {
    const auto column = term.find("type ", at);
    qualified.append(term.substr(at, column - at));
    if (column == std::string_view::npos) return qualified;
    qualified += prefix;
    qualified.append("type ");
    at = column + 5;
  }
}

std::string_view timeOrderTermFor(EventType type) {
  const bool common = type == EventType::AppUsage || type == EventType::DnsDecision ||
                      type == EventType::BrowserVisit;
  return common ? kExplorerIndexesTerm : kTypeIndexTerm;
}

StoredEvent toStoredEvent(const common::Event& event) {
  StoredEvent stored;
  stored.time = event.time;
  // The rest written as Poco::JSON::Object::stringify writes it, without building the object.
  for (const auto& [key, value] : *event.payload) {
    const auto* field = movedField(event.type, key);
    if (field != nullptr && moveToColumn(stored, field->column, value)) continue;
    stored.payload += stored.payload.empty() ? '{' : ',';
    stored.payload += Poco::toJSON(key, Poco::JSON_WRAP_STRINGS);
    stored.payload += ':';
    if (value.isString()) {
      stored.payload += Poco::toJSON(value.extract<std::string>(), Poco::JSON_WRAP_STRINGS);
    } else {
      std::ostringstream json;
      Poco::JSON::Stringifier::condense(value, json);
      stored.payload += json.str();
    }
  }
  if (!stored.payload.empty()) stored.payload += '}';
  if (event.type == EventType::BrowserVisit && event.payload->has("url")) {
    stored.site = hostOfUrl(event.payload->getValue<std::string>("url"));
  }
  return stored;
}

std::string restoredPayload(EventType type, const StoredEvent& stored) {
  std::string json = "{";
  for (const auto& field : kMovedFields) {
    if (field.type != type) continue;
    const auto value = columnJson(stored, field.column);
    if (value.empty()) continue;
    if (json.size() > 1) json += ',';
    json += jsonString(std::string(field.key)) + ':' + value;
  }
  // The rest is a JSON object: its members follow the columns' inside one pair of braces.
  if (stored.payload.size() > 2) {
    if (json.size() > 1) json += ',';
    json.append(stored.payload, 1, stored.payload.size() - 2);
  }
  return json + '}';
}

std::string hostOfUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto user = authority.rfind('@'); user != std::string_view::npos) {
    authority.remove_prefix(user + 1);
  }
  // A port follows the last colon, unless that colon is inside an IPv6 address's brackets.
  if (const auto colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  if (authority.ends_with('.')) authority.remove_suffix(1);
  return Poco::UTF8::toLower(std::string(authority));
}

}  // namespace clubsafe::collector
