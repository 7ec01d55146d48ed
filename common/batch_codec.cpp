#include "common/batch_codec.hpp"

#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
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

[[noreturn]] void malformed(const std::string& where, const std::string& problem) {
  throw BatchError(BatchErrorKind::Malformed, where + ": " + problem);
}

bool isObject(const Var& value) { return value.type() == typeid(Object::Ptr); }
bool isArray(const Var& value) { return value.type() == typeid(Array::Ptr); }

class Reader {
 public:
  explicit Reader(const BatchLimits& limits) : limits_(limits) {}

  void expectOnlyKeys(const Object& object, const std::set<std::string_view>& allowed,
                      const std::string& where) const {
    for (const auto& [key, value] : object) {
      if (!allowed.contains(key)) malformed(where, "unexpected field \"" + key + "\"");
    }
  }

  Var field(const Object& object, const std::string& key, const std::string& where) const {
    if (!object.has(key)) malformed(where, "missing field \"" + key + "\"");
    return object.get(key);
  }

  std::string string(const Var& value, const std::string& where) const {
    if (!value.isString()) malformed(where, "expected a string");
    auto text = value.extract<std::string>();
    if (text.size() > limits_.maxStringBytes) {
      throw BatchError(BatchErrorKind::TooLarge,
                       where + ": text longer than " + std::to_string(limits_.maxStringBytes) +
                           " bytes");
    }
    return text;
  }

  std::int64_t integer(const Var& value, const std::string& where) const {
    if (!value.isInteger() || value.isBoolean()) malformed(where, "expected a whole number");
    try {
      return value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
      malformed(where, "number out of range");
    }
  }

  void checkPayload(EventType type, const Object& payload, const std::string& where) const {
    const auto& info = eventTypeInfo(type);
    std::set<std::string_view> allowed;
    for (const auto& spec : info.payload) {
      allowed.insert(spec.name);
      const std::string name(spec.name);
      const std::string at = where + "." + name;
      if (!payload.has(name)) {
        if (spec.required) malformed(where, "missing field \"" + name + "\"");
        continue;
      }
      const Var value = payload.get(name);
      switch (spec.kind) {
        case FieldKind::String: (void)string(value, at); break;
        case FieldKind::Integer: (void)integer(value, at); break;
        case FieldKind::Boolean:
          if (!value.isBoolean()) malformed(at, "expected true or false");
          break;
        case FieldKind::StringArray: {
          if (!isArray(value)) malformed(at, "expected a list of strings");
          const auto& items = *value.extract<Array::Ptr>();
          for (std::size_t i = 0; i < items.size(); ++i) {
            (void)string(items.get(static_cast<unsigned>(i)), at + "[" + std::to_string(i) + "]");
          }
          break;
        }
        case FieldKind::Object:
          if (!isObject(value)) malformed(at, "expected an object");
          break;
      }
    }
    expectOnlyKeys(payload, allowed, where);
  }

  Event event(const Var& value, const std::string& where) const {
    if (!isObject(value)) malformed(where, "expected an object");
    const Object& object = *value.extract<Object::Ptr>();
    expectOnlyKeys(object, {"seq", "type", "time", "os_user", "member", "profile", "payload"},
                   where);
    Event event;
    event.sequence = integer(field(object, "seq", where), where + ".seq");
    if (event.sequence < 1) malformed(where + ".seq", "must be 1 or more");
    const auto typeName = string(field(object, "type", where), where + ".type");
    const auto type = eventTypeFromName(typeName);
    if (!type) malformed(where + ".type", "unknown event type \"" + typeName + "\"");
    event.type = *type;
    const auto timeText = string(field(object, "time", where), where + ".time");
    const auto time = parseTimestamp(timeText);
    if (!time) malformed(where + ".time", "expected a UTC time like 2026-01-31T18:30:00.000Z");
    event.time = *time;
    event.osUser = string(field(object, "os_user", where), where + ".os_user");
    event.member = string(field(object, "member", where), where + ".member");
    event.profile = string(field(object, "profile", where), where + ".profile");
    const Var payload = field(object, "payload", where);
    if (!isObject(payload)) malformed(where + ".payload", "expected an object");
    event.payload = payload.extract<Object::Ptr>();
    checkPayload(event.type, *event.payload, where + ".payload");
    return event;
  }

 private:
  const BatchLimits& limits_;
};

Var parse(std::string_view json, const BatchLimits& limits) {
  if (json.size() > limits.maxBytes) {
    throw BatchError(BatchErrorKind::TooLarge,
                     "batch of " + std::to_string(json.size()) + " bytes is over the limit of " +
                         std::to_string(limits.maxBytes));
  }
  Poco::JSON::Parser parser;
  parser.setDepth(kMaxDepth);
  try {
    return parser.parse(std::string(json));
  } catch (const Poco::Exception& error) {
    malformed("document", "not valid JSON (" + error.message() + ")");
  } catch (const std::exception& error) {
    malformed("document", std::string("not valid JSON (") + error.what() + ")");
  }
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

Batch decodeBatch(std::string_view json, const BatchLimits& limits) {
  const Var root = parse(json, limits);
  if (!isObject(root)) malformed("document", "expected a JSON object");
  const Object& object = *root.extract<Object::Ptr>();
  const Reader read(limits);

  // The version decides how to read everything else, so it is checked first.
  const Var version = read.field(object, "version", "batch");
  if (read.integer(version, "batch.version") != kBatchVersion) {
    throw BatchError(BatchErrorKind::UnsupportedVersion,
                     "batch.version: this collector reads version " +
                         std::to_string(kBatchVersion) + " only");
  }
  read.expectOnlyKeys(object, {"version", "device_id", "backlog", "events"}, "batch");

  Batch batch;
  batch.header.deviceId = read.string(read.field(object, "device_id", "batch"), "batch.device_id");
  batch.header.backlog = read.integer(read.field(object, "backlog", "batch"), "batch.backlog");
  if (batch.header.backlog < 0) malformed("batch.backlog", "must be 0 or more");
  const Var events = read.field(object, "events", "batch");
  if (!isArray(events)) malformed("batch.events", "expected a list");
  const Array& items = *events.extract<Array::Ptr>();
  if (items.size() > limits.maxEvents) {
    throw BatchError(BatchErrorKind::TooLarge,
                     "batch.events: " + std::to_string(items.size()) + " events, the limit is " +
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

Event decodeEvent(std::string_view json, const BatchLimits& limits) {
  return Reader(limits).event(parse(json, limits), "event");
}

}  // namespace clubsafe::common
