#pragma once

#include "agent/outbox/outbox.hpp"
#include "common/batch_codec.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

// Events and read-backs the outbox's unit tests share.
namespace clubsafe::agent::outbox {

using common::EventType;

inline common::Event makeEvent(EventType type, std::int64_t millis = 1'800'000'000'000) {
  common::Event event;
  event.type = type;
  event.time = common::Timestamp(std::chrono::milliseconds(millis));
  if (type == EventType::Heartbeat) {
    event.payload->set("uptime_seconds", 1);
    event.payload->set("queue_depth", 0);
    event.payload->set("agent_version", "test");
  } else if (type == EventType::WorryReport) {
    event.payload->set("about", "someone");
    event.payload->set("message", "help");
  } else if (type == EventType::Tamper) {
    event.payload->set("kind", "hosts");
    event.payload->set("detail", "changed");
  } else if (type == EventType::SafeguardingAlert) {
    event.payload->set("category", "self-harm");
    event.payload->set("severity", 5);
    event.payload->set("phrase", "a phrase");
    event.payload->set("context", "some text around a phrase");
    event.payload->set("source", "search_term");
  } else if (type == EventType::DnsDecision) {
    event.payload->set("domain", "example.org");
    event.payload->set("action", "allowed");
    event.payload->set("minute", "2026-11-24T20:00:00.000Z");
    event.payload->set("count", 3);
  } else if (type == EventType::BrowserVisit) {
    event.payload->set("browser", "firefox");
    event.payload->set("url", "https://example.org/a/page");
    event.payload->set("visited", "2026-11-24T20:00:00.000Z");
  }
  return event;
}

inline std::int64_t appendOne(Outbox& outbox, EventType type,
                              std::int64_t millis = 1'800'000'000'000) {
  auto event = makeEvent(type, millis);
  const auto status = outbox.append(event);
  EXPECT_TRUE(status.ok()) << status.message();
  return event.sequence;
}

inline std::vector<std::int64_t> sequences(const std::vector<PendingEvent>& batch) {
  std::vector<std::int64_t> out;
  for (const auto& event : batch) out.push_back(event.sequence);
  return out;
}

// What a capped outbox holds, the open gap event included, read back through a second reader.
struct Contents {
  std::map<EventType, int> byType;
  std::set<std::int64_t> sequences;
  std::int64_t gapDropped = 0;
  std::int64_t gapEvents = 0;
  std::vector<std::string> tamperKinds;
  std::int64_t bytes = 0;
};

inline Contents contentsOf(const Outbox& outbox) {
  Contents contents;
  Outbox reader(outbox.path(), Outbox::Access::ReadOnly);
  for (const auto& pending : reader.nextBatch(100'000)) {
    const auto event = common::decodeEvent(pending.encoded);
    EXPECT_EQ(event.sequence, pending.sequence);
    EXPECT_TRUE(contents.sequences.insert(pending.sequence).second) << pending.sequence;
    ++contents.byType[event.type];
    contents.bytes += static_cast<std::int64_t>(pending.encoded.size());
    if (event.type == EventType::OutboxGap) {
      ++contents.gapEvents;
      contents.gapDropped += event.payload->getValue<Poco::Int64>("dropped");
    }
    if (event.type == EventType::Tamper) {
      contents.tamperKinds.push_back(event.payload->getValue<std::string>("kind"));
    }
  }
  return contents;
}

inline std::int64_t encodedSize(EventType type) {
  auto event = makeEvent(type);
  event.sequence = 1000;
  return static_cast<std::int64_t>(common::encodeEvent(event).size());
}

inline OutboxBounds capOf(std::int64_t maxBytes) {
  OutboxBounds bounds;
  bounds.maxBytes = maxBytes;
  bounds.overflowEvent = [](const std::string& detail) {
    auto event = makeEvent(EventType::Tamper);
    event.payload->set("kind", "outbox_overflow");
    event.payload->set("detail", detail);
    return event;
  };
  return bounds;
}

inline std::vector<std::int64_t> gapCounts(const std::vector<PendingEvent>& batch) {
  std::vector<std::int64_t> counts;
  for (const auto& pending : batch) {
    const auto event = common::decodeEvent(pending.encoded);
    if (event.type == EventType::OutboxGap) {
      counts.push_back(event.payload->getValue<Poco::Int64>("dropped"));
    }
  }
  return counts;
}

}  // namespace clubsafe::agent::outbox
