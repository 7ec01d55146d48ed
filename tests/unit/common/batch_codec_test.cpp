#include "common/batch_codec.hpp"

#include "common/time.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace clubsafe::common {
namespace {

Event heartbeat(std::int64_t sequence) {
  Event event;
  event.sequence = sequence;
  event.time = *parseTimestamp("2026-11-24T19:57:10.123Z");
  event.type = EventType::Heartbeat;
  event.payload->set("uptime_seconds", 60);
  event.payload->set("queue_depth", 0);
  event.payload->set("agent_version", "0.1.0");
  return event;
}

// An event of `type` without its payload, as the first a laptop sends.
Event eventOfType(EventType type) {
  Event event;
  event.sequence = 1;
  event.time = *parseTimestamp("2026-11-24T19:58:10.000Z");
  event.type = type;
  return event;
}

std::string encodedAlone(const Event& event) {
  Batch batch;
  batch.header.deviceId = "dev_0123456789abcdef";
  batch.events.push_back(event);
  return encodeBatch(batch);
}

Batch twoEvents() {
  Batch batch;
  batch.header.deviceId = "dev_0123456789abcdef";
  batch.header.backlog = 7;
  batch.events.push_back(heartbeat(1));
  Event apps;
  apps.sequence = 2;
  apps.time = *parseTimestamp("2026-11-24T19:58:00.000Z");
  apps.type = EventType::AppList;
  apps.osUser = "alice";
  apps.member = "M-12";
  apps.profile = "juniors";
  Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
  names->add("firefox-esr");
  names->add("libreoffice");
  apps.payload->set("applications", names);
  batch.events.push_back(apps);
  return batch;
}

BatchErrorKind decodeError(const std::string& json, const BatchLimits& limits = {}) {
  try {
    (void)decodeBatch(json, limits);
  } catch (const BatchError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "decoded without error: " << json;
  return BatchErrorKind::Malformed;
}

std::string messageFor(const std::string& json) {
  try {
    (void)decodeBatch(json);
  } catch (const BatchError& error) {
    return error.what();
  }
  return "";
}

// A valid one-event batch with one piece of text replaced, to break it in one place.
std::string withReplaced(const std::string& from, const std::string& to) {
  auto json = encodeBatch(twoEvents());
  const auto at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return json.replace(at, from.size(), to);
}

TEST(BatchCodec, RoundTripsEveryField) {
  const auto original = twoEvents();
  const auto decoded = decodeBatch(encodeBatch(original));
  EXPECT_EQ(decoded.header.version, kBatchVersion);
  EXPECT_EQ(decoded.header.deviceId, original.header.deviceId);
  EXPECT_EQ(decoded.header.backlog, 7);
  ASSERT_EQ(decoded.events.size(), 2u);
  const auto& apps = decoded.events[1];
  EXPECT_EQ(apps.deviceId, original.header.deviceId);
  EXPECT_EQ(apps.sequence, 2);
  EXPECT_EQ(apps.type, EventType::AppList);
  EXPECT_EQ(formatTimestamp(apps.time), "2026-11-24T19:58:00.000Z");
  EXPECT_EQ(apps.osUser, "alice");
  EXPECT_EQ(apps.member, "M-12");
  EXPECT_EQ(apps.profile, "juniors");
  EXPECT_EQ(apps.payload->getArray("applications")->getElement<std::string>(1), "libreoffice");
}

TEST(BatchCodec, AssemblesStoredEventsWithoutReparsing) {
  const auto batch = twoEvents();
  std::vector<std::string> stored{encodeEvent(batch.events[0]), encodeEvent(batch.events[1])};
  EXPECT_EQ(assembleBatch(batch.header, stored), encodeBatch(batch));
  EXPECT_EQ(decodeBatch(assembleBatch(batch.header, {})).events.size(), 0u);
}

TEST(BatchCodec, EscapesTextInTheHeader) {
  Batch batch;
  batch.header.deviceId = "dev\"\\\n<x>";
  EXPECT_EQ(decodeBatch(encodeBatch(batch)).header.deviceId, batch.header.deviceId);
}

TEST(BatchCodec, RefusesDocumentsThatAreNotJson) {
  for (const std::string& json :
       std::vector<std::string>{"", "{", "[]", "null", "42", "\"text\"", "{\"version\":1,}",
                                std::string("{\"version\":1\0}", 14), "\xff\xfe{}"}) {
    EXPECT_EQ(decodeError(json), BatchErrorKind::Malformed) << json;
  }
}

TEST(BatchCodec, RefusesUnknownVersions) {
  EXPECT_EQ(decodeError(withReplaced("\"version\":1", "\"version\":2")),
            BatchErrorKind::UnsupportedVersion);
  EXPECT_EQ(decodeError(withReplaced("\"version\":1", "\"version\":\"1\"")),
            BatchErrorKind::Malformed);
  EXPECT_EQ(decodeError("{\"device_id\":\"x\",\"backlog\":0,\"events\":[]}"),
            BatchErrorKind::Malformed);
}

TEST(BatchCodec, RefusesMissingAndUnexpectedFields) {
  EXPECT_EQ(decodeError(withReplaced("\"os_user\":\"alice\",", "")), BatchErrorKind::Malformed);
  EXPECT_EQ(decodeError(withReplaced("\"backlog\":7,", "")), BatchErrorKind::Malformed);
  EXPECT_EQ(decodeError(withReplaced("\"backlog\":7", "\"backlog\":7,\"extra\":1")),
            BatchErrorKind::Malformed);
  EXPECT_EQ(decodeError(withReplaced("\"uptime_seconds\":60", "\"uptime_seconds\":60,\"x\":1")),
            BatchErrorKind::Malformed);
  EXPECT_EQ(decodeError(withReplaced("\"queue_depth\":0,", "")), BatchErrorKind::Malformed);
  EXPECT_NE(messageFor(withReplaced("\"queue_depth\":0,", "")).find("batch.events[0].payload"),
            std::string::npos);
}

TEST(BatchCodec, RefusesWrongTypes) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"seq\":1", "\"seq\":\"1\""},
           {"\"seq\":1", "\"seq\":1.5"},
           {"\"seq\":1", "\"seq\":true"},
           {"\"seq\":1", "\"seq\":0"},
           {"\"seq\":1", "\"seq\":-4"},
           {"\"seq\":1", "\"seq\":99999999999999999999999"},
           {"\"backlog\":7", "\"backlog\":-1"},
           {"\"type\":\"heartbeat\"", "\"type\":\"keylogger\""},
           {"\"type\":\"heartbeat\"", "\"type\":3"},
           {"\"time\":\"2026-11-24T19:57:10.123Z\"", "\"time\":\"2026-02-30T19:57:10.123Z\""},
           {"\"time\":\"2026-11-24T19:57:10.123Z\"", "\"time\":\"yesterday\""},
           {"\"time\":\"2026-11-24T19:57:10.123Z\"", "\"time\":1732478230"},
           {"\"os_user\":\"alice\"", "\"os_user\":null"},
           {"\"uptime_seconds\":60", "\"uptime_seconds\":\"60\""},
           {"\"agent_version\":\"0.1.0\"", "\"agent_version\":[]"},
           {"[\"firefox-esr\",\"libreoffice\"]", "[\"firefox-esr\",3]"},
           {"[\"firefox-esr\",\"libreoffice\"]", "\"firefox-esr\""},
           {
               "\"events\":[",
               "\"events\":{\"a\":[",
           },
       }) {
    EXPECT_EQ(decodeError(withReplaced(from, to)), BatchErrorKind::Malformed)
        << from << " -> " << to;
  }
}

TEST(BatchCodec, RefusesTimesNoLaptopCouldHave) {
  const auto at = [](const std::string& time) {
    return withReplaced("\"time\":\"2026-11-24T19:57:10.123Z\"", "\"time\":\"" + time + "\"");
  };
  EXPECT_EQ(decodeBatch(at("2000-01-01T00:00:00.000Z")).events.size(), 2u);
  EXPECT_EQ(decodeBatch(at("2099-12-31T23:59:59.999Z")).events.size(), 2u);
  // Before 1970 the explorer's next page cursor was refused; after 9999 no context link.
  for (const auto* time :
       {"1999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.000Z", "0000-01-01T00:00:00.000Z",
        "2100-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"}) {
    EXPECT_NE(messageFor(at(time)).find("events[0].time"), std::string::npos) << time;
  }
}

TEST(BatchCodec, RefusesADnsDecisionThatIsNotACountInAMinute) {
  const auto decision = [](const std::string& minute, std::int64_t count) {
    auto event = eventOfType(EventType::DnsDecision);
    event.payload->set("domain", "example.test");
    event.payload->set("action", "allowed");
    event.payload->set("minute", minute);
    event.payload->set("count", count);
    return encodedAlone(event);
  };
  EXPECT_EQ(decodeBatch(decision("2026-11-24T19:57:00.000Z", 3)).events.size(), 1u);
  EXPECT_NE(messageFor(decision("2026-11-24T19:57:30.000Z", 3)).find("payload.minute"),
            std::string::npos);
  EXPECT_NE(messageFor(decision("19:57", 3)).find("payload.minute"), std::string::npos);
  EXPECT_NE(messageFor(decision("1969-12-31T23:59:00.000Z", 3)).find("payload.minute"),
            std::string::npos);
  EXPECT_NE(messageFor(decision("2026-11-24T19:57:00.000Z", 0)).find("payload.count"),
            std::string::npos);
  EXPECT_EQ(decodeBatch(decision("2026-11-24T19:57:00.000Z", 1'000'000)).events.size(), 1u);
  EXPECT_NE(messageFor(decision("2026-11-24T19:57:00.000Z", 1'000'001)).find("payload.count"),
            std::string::npos);
  // Two such counts in one minute overflowed SQLite's SUM: the in-use-now view and the review
  // queue failed for every laptop.
  EXPECT_NE(
      messageFor(decision("2026-11-24T19:57:00.000Z", std::int64_t{1} << 62)).find("payload.count"),
      std::string::npos);
}

TEST(BatchCodec, AnAlertMayExplainItselfAndOlderAgentsNeedNot) {
  const auto alert = [](bool explained, bool helpSeekingAsText) {
    auto event = eventOfType(EventType::SafeguardingAlert);
    event.payload->set("category", "self-harm");
    event.payload->set("severity", 4);
    event.payload->set("phrase", "near 4: harm-word, self-object");
    event.payload->set("context", "ways to hurt myself without anyone knowing");
    event.payload->set("source", "search_term");
    if (explained) {
      event.payload->set("rule", "self-harm.txt line 101");
      event.payload->set("matched", "hurt \u2026 myself");
      event.payload->set("why", "harm-word near self-object, within 4 words");
      if (helpSeekingAsText) {
        event.payload->set("help_seeking", "no");
      } else {
        event.payload->set("help_seeking", false);
      }
    }
    return encodedAlone(event);
  };
  const auto decoded = decodeBatch(alert(true, false));
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].payload->getValue<std::string>("why"),
            "harm-word near self-object, within 4 words");
  EXPECT_EQ(decodeBatch(alert(false, false)).events.size(), 1u);
  EXPECT_NE(messageFor(alert(true, true)).find("payload.help_seeking"), std::string::npos);
}

TEST(BatchCodec, RefusesAnAlertSeverityOutsideOneToFive) {
  const auto alert = [](std::int64_t severity) {
    auto event = eventOfType(EventType::SafeguardingAlert);
    event.payload->set("category", "self-harm");
    event.payload->set("severity", severity);
    event.payload->set("phrase", "hurt myself");
    event.payload->set("context", "how to hurt myself");
    event.payload->set("source", "search_term");
    return encodedAlone(event);
  };
  EXPECT_EQ(decodeBatch(alert(1)).events.size(), 1u);
  EXPECT_EQ(decodeBatch(alert(5)).events.size(), 1u);
  // 2^32 + 1 ranked above every real alert in the DSL's queue, which reads a severity as an int.
  for (const std::int64_t severity :
       {std::int64_t{0}, std::int64_t{6}, std::int64_t{-1}, (std::int64_t{1} << 32) + 1}) {
    EXPECT_NE(messageFor(alert(severity)).find("payload.severity"), std::string::npos) << severity;
  }
}

// A figure no real agent sends: summed in SQL it overflowed, and an app interval of 10^9 seconds,
// split into its hours, made 277,000 rollup rows and hung the batch.
TEST(BatchCodec, RefusesFiguresNoAgentSends) {
  struct Figure {
    EventType type;
    std::string field;
    std::int64_t least;
    std::int64_t most;
  };
  const auto withFigure = [](const Figure& figure, std::int64_t value) {
    auto event = eventOfType(figure.type);
    if (figure.type == EventType::Heartbeat) event = heartbeat(1);
    if (figure.type == EventType::AppUsage) {
      event.payload->set("application", "minecraft");
      event.payload->set("started", "2026-11-24T19:48:10.000Z");
    }
    if (figure.type == EventType::OutboxGap) event.payload->set("reason", "outbox full");
    if (figure.type == EventType::WorryReport) {
      event.payload->set("about", "someone else");
      event.payload->set("message", "a worry");
    }
    if (figure.type == EventType::Rejected) {
      event.payload->set("reason", "malformed");
      event.payload->set("sequences", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    }
    event.payload->set(figure.field, value);
    return encodedAlone(event);
  };
  const std::int64_t century = std::int64_t{100} * 366 * 24 * 3600;
  for (const Figure& figure : {
           Figure{EventType::Heartbeat, "uptime_seconds", 0, century},
           Figure{EventType::Heartbeat, "queue_depth", 0, 1'000'000'000},
           Figure{EventType::AppUsage, "seconds", 0, 24 * 3600},
           Figure{EventType::OutboxGap, "dropped", 0, 1'000'000'000},
           Figure{EventType::WorryReport, "count", 1, 1'000'000},
           Figure{EventType::Rejected, "count", 0, 1'000'000'000},
       }) {
    EXPECT_EQ(decodeBatch(withFigure(figure, figure.least)).events.size(), 1u) << figure.field;
    EXPECT_EQ(decodeBatch(withFigure(figure, figure.most)).events.size(), 1u) << figure.field;
    for (const std::int64_t wrong :
         {figure.least - 1, figure.most + 1, std::numeric_limits<std::int64_t>::max()}) {
      EXPECT_NE(messageFor(withFigure(figure, wrong)).find("payload." + figure.field),
                std::string::npos)
          << figure.field << " " << wrong;
    }
  }
}

TEST(BatchCodec, RefusesARepeatedSequenceNumber) {
  EXPECT_EQ(decodeError(withReplaced("\"seq\":2", "\"seq\":1")), BatchErrorKind::Malformed);
}

TEST(BatchCodec, RefusesOversizedInput) {
  BatchLimits limits;
  limits.maxEvents = 1;
  EXPECT_EQ(decodeError(encodeBatch(twoEvents()), limits), BatchErrorKind::TooLarge);
  limits = {};
  limits.maxBytes = 100;
  EXPECT_EQ(decodeError(encodeBatch(twoEvents()), limits), BatchErrorKind::TooLarge);
  limits = {};
  limits.maxStringBytes = 4;
  EXPECT_EQ(decodeError(encodeBatch(twoEvents()), limits), BatchErrorKind::TooLarge);
}

TEST(BatchCodec, RefusesDeepNesting) {
  std::string deep = "{\"version\":1,\"device_id\":\"d\",\"backlog\":0,\"events\":[],\"x\":";
  for (int i = 0; i < 5000; ++i) deep += "[";
  EXPECT_EQ(decodeError(deep), BatchErrorKind::Malformed);
}

TEST(BatchCodec, RefusesMoreObjectsAndListsThanABatchHoldsBeforeParsing) {
  // 4 MB of empty objects took Poco's parser 1.2 GB before anything was checked.
  auto flood = encodeBatch(twoEvents());
  const auto at = flood.find("\"applications\":[") + 16;
  std::string objects;
  for (int i = 0; i < 10000; ++i) objects += "{},";
  flood.insert(at, objects);
  EXPECT_NE(messageFor(flood).find("objects and lists"), std::string::npos);
  // And 4 MB of empty strings 121 MB, so 16 requests at once went over it too.
  auto strings = encodeBatch(twoEvents());
  std::string empty;
  for (int i = 0; i < 130'000; ++i) empty += "\"\",";
  strings.insert(at, empty);
  EXPECT_NE(messageFor(strings).find("values"), std::string::npos);
  // Brackets inside text count for nothing.
  Batch batch = twoEvents();
  batch.events[1].payload->set("applications", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  batch.events[1].payload->getArray("applications")->add(std::string(10000, '{'));
  EXPECT_EQ(decodeBatch(encodeBatch(batch)).events.size(), 2u);
}

TEST(BatchCodec, DecodesOneEventLikeABatchDoes) {
  const auto event = decodeEvent(encodeEvent(heartbeat(5)));
  EXPECT_EQ(event.sequence, 5);
  EXPECT_THROW((void)decodeEvent("{\"seq\":5}"), BatchError);
}

TEST(EventTypes, NamesAreUniqueAndFindable) {
  for (const auto& info : allEventTypes()) {
    ASSERT_TRUE(eventTypeFromName(info.name).has_value()) << info.name;
    EXPECT_EQ(*eventTypeFromName(info.name), info.type);
    EXPECT_EQ(eventTypeInfo(info.type).name, info.name);
  }
  EXPECT_FALSE(eventTypeFromName("Heartbeat").has_value());
}

TEST(EventTypes, SafeguardingEventsAreNeverDroppable) {
  for (const auto type : {EventType::SafeguardingAlert, EventType::WorryReport, EventType::Tamper,
                          EventType::OutboxGap}) {
    EXPECT_FALSE(eventTypeInfo(type).droppable);
    EXPECT_GE(eventTypeInfo(type).priority, Priority::High);
  }
}

}  // namespace
}  // namespace clubsafe::common
