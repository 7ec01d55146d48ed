#pragma once

#include "common/event.hpp"

#include <Poco/JSON/Object.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

// What the agent and the notice program (clubsafe-notice, one per graphical session) say to
// each other over the agent's Unix socket (docs/NOTICES.md): one JSON object per line, at most
// kMaxLineBytes, each with a "type"; requests from the notice program carry an "id" the reply
// repeats. Both sides check every message against the same table, so a malformed one is
// refused whole, whichever side sent it.
namespace clubsafe::common::notice {

inline constexpr std::size_t kMaxLineBytes = 16 * 1024;

enum class MessageType {
  // From the notice program, each answered by a Reply with the same id.
  Hello,         // first message: the reply carries "notice" and "state"
  Acknowledge,   // N1: "I understand" on the monitoring notice
  SignIn,        // N2: first name or member code, and age band
  StaffSignIn,   // N2: a worker's PIN
  SignOut,       // N2
  ReviewRequest, // N3: "Ask for a review" of a blocked site
  ReportWorry,   // N4
  Override,      // F7: a worker unlocks a site or category for a while
  // From the agent.
  Reply,    // "ok", and "error" in plain words when not ok
  Blocked,  // N3: something was blocked; the notice program shows a notification
  State,    // the sign-in or overrides changed
};

// One field of a message: its JSON kind, whether it must be there, and the most characters a
// string (or each string of a list) may have.
struct MessageField {
  std::string_view name;
  FieldKind kind;
  bool required;
  std::size_t maxLength;
};

struct MessageTypeInfo {
  MessageType type;
  std::string_view name;  // the wire name, in "type"
  bool request;           // sent by the notice program, with an id
  std::span<const MessageField> fields;
};

[[nodiscard]] const MessageTypeInfo& messageTypeInfo(MessageType type);

// The objects nested in a Reply ("notice", "state") and a State message ("state").
[[nodiscard]] std::span<const MessageField> noticeFields();
[[nodiscard]] std::span<const MessageField> stateFields();

struct Message {
  MessageType type = MessageType::Hello;
  // Requests and replies; 0 for Blocked and State, and for the reply to a line that could not be
  // read (it had no id to repeat).
  std::int64_t id = 0;
  // The fields of the table, without "type" and "id".
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
};

// A broken message: what() names the field and the problem, for a log line and the reply.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Strict: not JSON, over kMaxLineBytes, an unknown type, a missing, unexpected, wrong-typed or
// too long field, a request without a positive id throw ProtocolError naming the first problem.
[[nodiscard]] Message parseMessage(std::string_view line);

// The message as one line ending in '\n'; checked as parseMessage checks it (ProtocolError), so
// neither side can send what the other would refuse.
[[nodiscard]] std::string serialiseMessage(const Message& message);

// Splits a byte stream into lines. A line longer than kMaxLineBytes throws ProtocolError: the
// connection should then be closed, as nothing after it can be trusted to be framed right.
class LineReader {
 public:
  void append(std::string_view bytes);
  // The next complete line without its '\n', or nullopt until more bytes arrive.
  [[nodiscard]] std::optional<std::string> next();

 private:
  std::string buffer_;
};

// What a worry can be about (N4): the wire id and the words the notice program shows.
struct WorryTopic {
  std::string_view id;
  std::string_view words;
};
inline constexpr std::array<WorryTopic, 5> kWorryTopics{{
    {"someone_online", "Someone I met or talk to online"},
    {"something_i_saw", "Something I saw"},
    {"bullying", "Someone being unkind or bullying"},
    {"how_i_feel", "How I am feeling"},
    {"something_else", "Something else"},
}};
[[nodiscard]] const WorryTopic* findWorryTopic(std::string_view id);

// Bounds the agent enforces on what people type; the notice program uses them for its fields.
inline constexpr std::size_t kMaxNameLength = 40;
inline constexpr std::size_t kMaxWorryLength = 2000;
inline constexpr std::size_t kMaxReviewMessageLength = 500;
inline constexpr std::size_t kMaxReasonLength = 300;
inline constexpr std::size_t kMinPinLength = 6;
inline constexpr std::size_t kMaxPinLength = 12;
inline constexpr std::int64_t kMaxOverrideMinutes = 240;

}  // namespace clubsafe::common::notice
