#include "collector/http/console/explorer_filter.hpp"

#include "collector/http/api_error.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <Poco/URI.h>

#include <charconv>
#include <chrono>
#include <set>

namespace clubsafe::collector {
namespace {

// Longer than any name, domain (253) or app a laptop reports; more is not a filter but abuse.
constexpr std::size_t kMostValueBytes = 256;
constexpr std::size_t kMostCursorBytes = 1024;
constexpr auto kContextSpan = std::chrono::hours(1);
// Cursors name times from 1970 to the end of 9999, which formatTimestamp writes in its width.
constexpr std::int64_t kLastMillisecond = 253'402'300'799'999;

// The text filters, by parameter name, in the order filterQueryString writes them.
struct TextField {
  std::string_view name;
  std::string EventFilter::*field;
};
constexpr TextField kTextFields[] = {
    {"device", &EventFilter::deviceId},   {"member", &EventFilter::member},
    {"account", &EventFilter::osUser},    {"profile", &EventFilter::profile},
    {"app", &EventFilter::app},           {"site", &EventFilter::site},
    {"category", &EventFilter::category}, {"action", &EventFilter::action},
};

[[noreturn]] void refuse(const std::string& message) {
  throw ApiError(400, message);
}

Timestamp parseTime(std::string_view name, const std::string& value) {
  const auto time = common::parseTimestamp(value);
  if (!time) {
    refuse("The filter \"" + std::string(name) +
           "\" is not a time like 2024-03-01T18:00:00.000Z (UTC).");
  }
  return *time;
}

common::EventType parseType(const std::string& value) {
  const auto type = common::eventTypeFromName(value);
  if (!type) refuse("The filter \"type\" names no kind of event this collector knows.");
  if (*type == common::EventType::Heartbeat) {
    refuse(
        "Heartbeats are not listed in the usage explorer: the dashboard's coverage shows when "
        "each laptop last reported and the hours it reported in.");
  }
  if (!shownInExplorer(*type)) {
    refuse(
        "Safeguarding alerts and worry reports are shown to the safeguarding lead only, not "
        "in the usage explorer.");
  }
  return *type;
}

std::size_t parseLimit(const std::string& value) {
  std::size_t limit = 0;
  const auto end = value.data() + value.size();
  const auto [ptr, error] = std::from_chars(value.data(), end, limit);
  if (error != std::errc() || ptr != end || limit < 1 || limit > EventQuery::kMostPerPage) {
    refuse("The \"limit\" is a number of events from 1 to " +
           std::to_string(EventQuery::kMostPerPage) + ".");
  }
  return limit;
}

// Domains are compared as laptops record them, in lower case.
std::string lowerAscii(std::string text) {
  for (auto& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool setTextField(EventFilter& filter, const std::string& name, const std::string& value) {
  for (const auto& field : kTextFields) {
    if (field.name != name) continue;
    filter.*field.field = name == "site" ? lowerAscii(value) : value;
    return true;
  }
  return false;
}

void apply(ExplorerQuery& query, const std::string& name, const std::string& value) {
  if (setTextField(query.filter, name, value)) return;
  if (name == "from") {
    query.filter.from = parseTime(name, value);
  } else if (name == "to") {
    query.filter.to = parseTime(name, value);
  } else if (name == "type") {
    query.filter.type = parseType(value);
  } else if (name == "limit") {
    query.limit = parseLimit(value);
  } else if (name == "cursor") {
    query.after = decodeCursor(value);
    if (!query.after) {
      refuse(
          "The page \"cursor\" is not one this collector gave; start again from the first "
          "page.");
    }
  } else {
    refuse("The usage explorer has no filter called \"" + name.substr(0, 40) + "\".");
  }
}

void appendParameter(std::string& query, std::string_view name, const std::string& value) {
  if (value.empty()) return;
  std::string encoded;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%", encoded);
  query += (query.empty() ? "" : "&") + std::string(name) + "=" + encoded;
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  std::int64_t value = 0;
  const auto end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<std::string> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned value = 0;
    const auto pair = hex.substr(i * 2, 2);
    const auto [ptr, error] = std::from_chars(pair.data(), pair.data() + 2, value, 16);
    if (error != std::errc() || ptr != pair.data() + 2) return std::nullopt;
    bytes[i] = static_cast<char>(value);
  }
  return bytes;
}

}  // namespace

ExplorerQuery parseExplorerQuery(const QueryParameters& parameters) {
  ExplorerQuery query;
  std::set<std::string> seen;
  for (const auto& [name, value] : parameters) {
    if (!seen.insert(name).second) {
      refuse("The filter \"" + name.substr(0, 40) + "\" is given more than once.");
    }
    const auto most = name == "cursor" ? kMostCursorBytes : kMostValueBytes;
    if (value.size() > most) refuse("The filter \"" + name.substr(0, 40) + "\" is too long.");
    if (!value.empty()) apply(query, name, value);
  }
  if (query.filter.from && query.filter.to && *query.filter.from >= *query.filter.to) {
    refuse("The time range ends before it starts: \"to\" must be after \"from\".");
  }
  return query;
}

std::string filterQueryString(const EventFilter& filter) {
  std::string query;
  if (filter.from) appendParameter(query, "from", common::formatTimestamp(*filter.from));
  if (filter.to) appendParameter(query, "to", common::formatTimestamp(*filter.to));
  for (const auto& field : kTextFields) appendParameter(query, field.name, filter.*field.field);
  if (filter.type) {
    appendParameter(query, "type", std::string(common::eventTypeInfo(*filter.type).name));
  }
  return query;
}

EventFilter contextOf(const ExploredEvent& event) {
  EventFilter context;
  context.from = event.time - kContextSpan;
  context.to = event.time + kContextSpan;
  context.deviceId = event.deviceId;
  if (!event.member.empty()) {
    context.member = event.member;
  } else {
    context.osUser = event.osUser;
  }
  return context;
}

bool filterNamesPerson(const EventFilter& filter) {
  return !filter.member.empty() || !filter.osUser.empty();
}

bool eventNamesPerson(const ExploredEvent& event) {
  return !event.member.empty() || !event.osUser.empty();
}

std::string encodeCursor(const EventCursor& cursor) {
  const auto millis = cursor.time.time_since_epoch().count();
  return common::toHex(std::to_string(millis) + "." + std::to_string(cursor.sequence) + "." +
                       cursor.deviceId);
}

std::optional<EventCursor> decodeCursor(std::string_view text) {
  const auto plain = fromHex(text);
  if (!plain) return std::nullopt;
  const std::string_view view = *plain;
  const auto first = view.find('.');
  const auto second = first == std::string_view::npos ? first : view.find('.', first + 1);
  if (second == std::string_view::npos || second + 1 >= view.size()) return std::nullopt;
  const auto millis = parseInteger(view.substr(0, first));
  const auto sequence = parseInteger(view.substr(first + 1, second - first - 1));
  if (!millis || !sequence || *millis < 0 || *millis > kLastMillisecond) return std::nullopt;
  return EventCursor{.time = Timestamp(std::chrono::milliseconds(*millis)),
                     .deviceId = std::string(view.substr(second + 1)),
                     .sequence = *sequence};
}

}  // namespace clubsafe::collector
