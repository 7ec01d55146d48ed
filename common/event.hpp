#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace clubsafe::common {

// Every kind of event a device reports. The names in kEventTypes are the wire names; SPEC
// feature ids say where each comes from.
enum class EventType {
  Heartbeat,           // agent alive, with its queue depth
  AppList,             // R1 (first cut): applications running per OS user
  AppUsage,            // R1: foreground application and time in it
  DnsDecision,         // R2: DNS decisions aggregated per domain per minute
  BrowserVisit,        // R3
  SearchTerm,          // R3
  Session,             // R4: OS login / logout
  MemberSignIn,        // N2
  MemberSignOut,       // N2
  SafeguardingAlert,   // R5
  OutboxGap,           // R6: events dropped on overflow, counted
  Tamper,              // R7
  NoticeAcknowledged,  // N1
  BlockNotice,         // N3
  ReviewRequest,       // N3
  WorryReport,         // N4
  Override,            // F7
  FilterSelfTest,      // C12
  Rejected,            // R6: events the collector refused as malformed, set aside by the agent
};

// Higher priority leaves the outbox first and is never dropped when the outbox is full.
enum class Priority : int { Low = 0, Normal = 1, High = 2, Critical = 3 };

enum class FieldKind { String, Integer, Boolean, StringArray, Object };

// How long the collector keeps an event is set per class (its retention settings), so each
// kind of data is kept no longer than it serves the policy.
enum class RetentionClass {
  Health,        // heartbeats: is the laptop reporting
  Usage,         // what was used and visited: the regular audit
  Safeguarding,  // alerts, worries, reviews, overrides, tamper evidence: incidents and inspection
};

// The whole numbers an Integer field may hold, ends included.
struct IntegerRange {
  std::int64_t least = INT64_MIN;
  std::int64_t most = INT64_MAX;
};

// The most seconds a field may count back from its event (a century): a heartbeat's uptime is
// refused above it, and the collector turns one into a moment only up to it, so that the moment
// never overflows. Migration 26 (migration_event_receipts.cpp) wrote the bound of its day in SQL.
inline constexpr std::int64_t kMostSecondsCountedBack = std::int64_t{100} * 366 * 24 * 3600;

struct PayloadField {
  std::string_view name;
  FieldKind kind;
  bool required;
  IntegerRange range = {};
};

struct EventTypeInfo {
  EventType type;
  std::string_view name;
  Priority priority;
  // Low-value events the outbox may drop, oldest first, when its byte cap is reached.
  bool droppable;
  RetentionClass retention;
  std::span<const PayloadField> payload;
};

[[nodiscard]] const EventTypeInfo& eventTypeInfo(EventType type);
[[nodiscard]] std::optional<EventType> eventTypeFromName(std::string_view name);
[[nodiscard]] std::span<const EventTypeInfo> allEventTypes();

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

struct Event {
  std::string deviceId;
  std::int64_t sequence = 0;  // per device, from 1, never reused
  Timestamp time{};           // UTC
  std::string osUser;         // the operating-system account, empty for system events
  std::string member;         // the signed-in club member on a shared account, or empty
  std::string profile;        // the filtering profile in force
  EventType type = EventType::Heartbeat;
  Poco::JSON::Object::Ptr payload = new Poco::JSON::Object;
};

}  // namespace clubsafe::common
