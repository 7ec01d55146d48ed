#include "common/batch_codec.hpp"

#include "common/json_fields.hpp"
#include "common/time.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <set>
#include <sstream>
#include <unordered_set>

namespace clubsafe::common {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::size_t kMaxDepth = 16;
// Twice what an event holds: 3 objects and lists, a few dozen values in all (an app list's names).
constexpr std::size_t kMostContainersPerEvent = 8;
constexpr std::size_t kMostValuesPerEvent = 128;

// The times a laptop's events may have: no clubsafe event comes from before 2000 or after 2099.
// Outside them the collector's reads go wrong: an explorer page cursor before 1970 is refused,
// so the pages after such an event cannot be read, and an event's hour of context after 9999
// cannot be written as a time.
constexpr Timestamp kEarliestTime{std::chrono::sys_days{std::chrono::year{2000} / 1 / 1}};
constexpr Timestamp kEndOfTimes{std::chrono::sys_days{std::chrono::year{2100} / 1 / 1}};
constexpr const char* kTimeExpected =
    "expected a UTC time from 2000 to 2099 like 2026-01-31T18:30:00.000Z";

std::optional<Timestamp> saneTime(std::string_view text) {
  const auto time = parseTimestamp(text);
  if (!time || *time < kEarliestTime || *time >= kEndOfTimes) return std::nullopt;
  return time;
}

[[noreturn]] void malformed(const std::string& where, const std::string& problem) {
  throw BatchError(BatchErrorKind::Malformed, where + ": " + problem);
}

// The batch's own error for a field check's, so the collector answers 400 or 413 by its kind.
template <typename Read>
auto translatingFieldErrors(Read read) {
  try {
    return read();
  } catch (const json::FieldError& error) {
    throw BatchError(error.kind() == json::FieldError::Kind::TooLarge ? BatchErrorKind::TooLarge
                                                                      : BatchErrorKind::Malformed,
                     error.what());
  }
}

class Reader {
 public:
  explicit Reader(const BatchLimits& limits) : limits_(limits) {}

  std::string string(const Var& value, const std::string& where) const {
    return json::string(value, where, limits_.maxStringBytes);
  }

  void checkPayload(EventType type, const Object& payload, const std::string& where) const {
    const auto& info = eventTypeInfo(type);
    std::set<std::string_view> allowed;
    for (const auto& spec : info.payload) {
      allowed.insert(spec.name);
      const std::string name(spec.name);
      if (!payload.has(name)) {
        if (spec.required) malformed(where, "missing field \"" + name + "\"");
        continue;
      }
      json::checkKind(payload.get(name), spec.kind, where + "." + name, limits_.maxStringBytes);
      if (spec.kind == FieldKind::Integer) {
        checkRange(payload.getValue<Poco::Int64>(name), spec.range, where + "." + name);
      }
    }
    json::expectOnlyKeys(payload, allowed, where);
    if (type == EventType::DnsDecision) checkDnsMinute(payload, where);
  }

  static void checkRange(Poco::Int64 value, IntegerRange range, const std::string& where) {
    if (value < range.least || value > range.most) {
      malformed(where, "must be from " + std::to_string(range.least) + " to " +
                           std::to_string(range.most));
    }
  }

  // The collector adds dns_decision counts up per minute, so this must be the start of one.
  static void checkDnsMinute(const Object& payload, const std::string& where) {
    const auto minute = saneTime(payload.getValue<std::string>("minute"));
    if (!minute || *minute != std::chrono::floor<std::chrono::minutes>(*minute)) {
      malformed(where + ".minute",
                "expected the start of a UTC minute from 2000 to 2099 like "
                "2026-01-31T18:30:00.000Z");
    }
  }

  Event event(const Var& value, const std::string& where) const {
    const Object& object = json::object(value, where);
    json::expectOnlyKeys(object, {"seq", "type", "time", "os_user", "member", "profile", "payload"},
                         where);
    Event event;
    event.sequence = json::integer(json::field(object, "seq", where), where + ".seq");
    if (event.sequence < 1) malformed(where + ".seq", "must be 1 or more");
    const auto typeName = string(json::field(object, "type", where), where + ".type");
    const auto type = eventTypeFromName(typeName);
    if (!type) malformed(where + ".type", "unknown event type \"" + typeName + "\"");
    event.type = *type;
    const auto timeText = string(json::field(object, "time", where), where + ".time");
    const auto time = saneTime(timeText);
    if (!time) malformed(where + ".time", kTimeExpected);
    event.time = *time;
    event.osUser = string(json::field(object, "os_user", where), where + ".os_user");
    event.member = string(json::field(object, "member", where), where + ".member");
    event.profile = string(json::field(object, "profile", where), where + ".profile");
    const Var payload = json::field(object, "payload", where);
    (void)json::object(payload, where + ".payload");
    event.payload = payload.extract<Object::Ptr>();
    checkPayload(event.type, *event.payload, where + ".payload");
    return event;
  }

 private:
  const BatchLimits& limits_;
};

// How much a parser would build of the text: the objects and lists it opens, and the values
// in them (counted by the commas between them), those inside strings aside.
struct DocumentShape {
  std::size_t containers = 0;
  std::size_t values = 0;
};

DocumentShape shapeOf(std::string_view text) {
  DocumentShape shape;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      ++shape.containers;
      ++shape.values;
    } else if (c == ',') {
      ++shape.values;
    }
  }
  return shape;
}

Var parse(std::string_view text, const BatchLimits& limits) {
  if (text.size() > limits.maxBytes) {
    throw BatchError(BatchErrorKind::TooLarge, "batch of " + std::to_string(text.size()) +
                                                   " bytes is over the limit of " +
                                                   std::to_string(limits.maxBytes));
  }
  // Poco's parser builds the whole document before anything is checked, at some 800 bytes an
  // empty object and 90 an empty string: 4 MB of {} took 1.2 GB, over the collector's
  // MemoryMax, and of "" 121 MB, 16 requests at once. An event is an object with a payload
  // object and at most one list, and a few dozen values; a text with far more is refused
  // unparsed.
  const auto shape = shapeOf(text);
  const auto mostContainers = kMostContainersPerEvent * limits.maxEvents + 2;
  const auto mostValues = kMostValuesPerEvent * limits.maxEvents + 8;
  if (shape.containers > mostContainers || shape.values > mostValues) {
    malformed("document", "more than " + std::to_string(mostContainers) + " objects and lists or " +
                              std::to_string(mostValues) + " values, which no batch of " +
                              std::to_string(limits.maxEvents) + " events holds");
  }
  return json::parse(text, kMaxDepth);
}

Batch decodeBatchFields(std::string_view text, const BatchLimits& limits) {
  const Var root = parse(text, limits);
  if (!json::isObject(root)) malformed("document", "expected a JSON object");
  const Object& object = *root.extract<Object::Ptr>();
  const Reader read(limits);

  // The version decides how to read everything else, so it is checked first.
  const Var version = json::field(object, "version", "batch");
  if (json::integer(version, "batch.version") != kBatchVersion) {
    throw BatchError(
        BatchErrorKind::UnsupportedVersion,
        "batch.version: this collector reads version " + std::to_string(kBatchVersion) + " only");
  }
  json::expectOnlyKeys(object, {"version", "device_id", "backlog", "events"}, "batch");

  Batch batch;
  batch.header.deviceId = read.string(json::field(object, "device_id", "batch"), "batch.device_id");
  batch.header.backlog = json::integer(json::field(object, "backlog", "batch"), "batch.backlog");
  if (batch.header.backlog < 0) malformed("batch.backlog", "must be 0 or more");
  const Var events = json::field(object, "events", "batch");
  if (!json::isArray(events)) malformed("batch.events", "expected a list");
  const Array& items = *events.extract<Array::Ptr>();
  if (items.size() > limits.maxEvents) {
    throw BatchError(BatchErrorKind::TooLarge, "batch.events: " + std::to_string(items.size()) +
                                                   " events, the limit is " +
                                                   std::to_string(limits.maxEvents));
  }
  std::unordered_set<std::int64_t> sequences;
  batch.events.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "batch.events[" + std::to_string(i) + "]";
    Event event = read.event(items.get(static_cast<unsigned>(i)), where);
    if (!sequences.insert(event.sequence).second) {
      malformed(where + ".seq", "sequence number " + std::to_string(event.sequence) +
                                    " appears twice in the batch");
    }
    event.deviceId = batch.header.deviceId;
    batch.events.push_back(std::move(event));
  }
  return batch;
}

}  // namespace

std::string encodeEvent(const Event& event) {
  Object object;
  object.set("seq", event.sequence);
  object.set("type", std::string(eventTypeInfo(event.type).name));
  object.set("time", formatTimestamp(event.time));
  object.set("os_user", event.osUser);
  object.set("member", event.member);
  object.set("profile", event.profile);
  object.set("payload", event.payload);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string assembleBatch(const BatchHeader& header, std::span<const std::string> encodedEvents) {
  std::ostringstream out;
  out << "{\"version\":" << header.version << ",\"device_id\":";
  Poco::JSON::Stringifier::formatString(header.deviceId, out);
  out << ",\"backlog\":" << header.backlog << ",\"events\":[";
  bool first = true;
  for (const auto& event : encodedEvents) {
    if (!first) out << ',';
    first = false;
    out << event;
  }
  out << "]}";
  return out.str();
}

std::string encodeBatch(const Batch& batch) {
  std::vector<std::string> encoded;
  encoded.reserve(batch.events.size());
  for (const auto& event : batch.events) encoded.push_back(encodeEvent(event));
  return assembleBatch(batch.header, encoded);
}

Batch decodeBatch(std::string_view text, const BatchLimits& limits) {
  return translatingFieldErrors([&] { return decodeBatchFields(text, limits); });
}

Event decodeEvent(std::string_view text, const BatchLimits& limits) {
  return translatingFieldErrors([&] { return Reader(limits).event(parse(text, limits), "event"); });
}

}  // namespace clubsafe::common
