#include "common/notice_protocol.hpp"

#include "common/json_fields.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace clubsafe::common::notice {
namespace {

using K = FieldKind;
using Poco::Dynamic::Var;
using Poco::JSON::Object;

constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kDomainLength = 253;
constexpr std::size_t kShortText = 100;

constexpr std::array<MessageField, 0> kNoFields{};
constexpr std::array<MessageField, 1> kAcknowledge{{
    {"notice_version", K::String, true, 64},
}};
constexpr std::array<MessageField, 2> kSignIn{{
    {"name", K::String, true, kMaxNameLength},
    {"age_band", K::String, true, 20},
}};
constexpr std::array<MessageField, 1> kStaffSignIn{{
    {"pin", K::String, true, kMaxPinLength},
}};
constexpr std::array<MessageField, 2> kReviewRequest{{
    {"domain", K::String, true, kDomainLength},
    {"message", K::String, false, kMaxReviewMessageLength},
}};
constexpr std::array<MessageField, 2> kReportWorry{{
    {"about", K::String, true, 40},
    {"message", K::String, true, kMaxWorryLength},
}};
constexpr std::array<MessageField, 5> kOverride{{
    {"pin", K::String, true, kMaxPinLength},
    {"scope", K::String, true, 10},
    {"target", K::String, true, kDomainLength},
    {"minutes", K::Integer, true, 0},
    {"reason", K::String, true, kMaxReasonLength},
}};
constexpr std::array<MessageField, 4> kReply{{
    {"ok", K::Boolean, true, 0},
    {"error", K::String, false, 500},
    {"notice", K::Object, false, 0},
    {"state", K::Object, false, 0},
}};
constexpr std::array<MessageField, 3> kBlocked{{
    {"domain", K::String, true, kDomainLength},
    {"category", K::String, true, 40},
    {"reason", K::String, true, 200},  // the category in plain words
}};
constexpr std::array<MessageField, 1> kState{{
    {"state", K::Object, true, 0},
}};

// The monitoring notice's text, from the collector's policy.
constexpr std::array<MessageField, 4> kNotice{{
    {"club_name", K::String, true, kShortText},
    {"paragraphs", K::StringArray, true, 600},
    {"policy_url", K::String, true, 300},
    {"version", K::String, true, 64},
}};
// Who is signed in, what the laptop filters for them and what is unlocked.
constexpr std::array<MessageField, 6> kStateObject{{
    {"member", K::String, false, kMaxNameLength},  // absent: nobody signed in
    {"age_band", K::String, false, 20},
    {"staff", K::Boolean, true, 0},
    {"profile", K::String, true, kShortText},     // the profile's name
    {"age_bands", K::StringArray, true, 20},      // to choose from when signing in
    {"overrides", K::StringArray, true, kShortText},  // "example.com until 18:30"
}};

using T = MessageType;
// Indexed by MessageType: the order must match the enum.
constexpr std::array<MessageTypeInfo, 11> kMessageTypes{{
    {T::Hello, "hello", true, kNoFields},
    {T::Acknowledge, "acknowledge", true, kAcknowledge},
    {T::SignIn, "sign_in", true, kSignIn},
    {T::StaffSignIn, "staff_sign_in", true, kStaffSignIn},
    {T::SignOut, "sign_out", true, kNoFields},
    {T::ReviewRequest, "review_request", true, kReviewRequest},
    {T::ReportWorry, "report_worry", true, kReportWorry},
    {T::Override, "override", true, kOverride},
    {T::Reply, "reply", false, kReply},
    {T::Blocked, "blocked", false, kBlocked},
    {T::State, "state", false, kState},
}};

const MessageTypeInfo* findType(std::string_view name) {
  for (const auto& info : kMessageTypes) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

bool hasId(const MessageTypeInfo& info) { return info.request || info.type == T::Reply; }

// The table counts characters, as people type them; UTF-8 takes up to four bytes for one.
constexpr std::size_t kMaxBytesPerCharacter = 4;

void checkCharacters(const std::string& text, std::size_t maxCharacters, const std::string& at) {
  const auto characters =
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }));
  if (characters > maxCharacters) {
    throw json::FieldError(json::FieldError::Kind::TooLarge, at,
                           "text longer than " + std::to_string(maxCharacters) + " characters");
  }
}

void checkFields(std::span<const MessageField> fields, const Object& object,
                 std::set<std::string_view> allowed, const std::string& where) {
  for (const auto& spec : fields) {
    allowed.insert(spec.name);
    const std::string name(spec.name);
    if (!object.has(name)) {
      if (spec.required) json::malformed(where, "missing field \"" + name + "\"");
      continue;
    }
    const Var value = object.get(name);
    const std::string at = where + "." + name;
    json::checkKind(value, spec.kind, at, kMaxBytesPerCharacter * spec.maxLength);
    if (spec.kind == K::String) checkCharacters(value.extract<std::string>(), spec.maxLength, at);
    if (spec.kind == K::StringArray) {
      const auto& items = *value.extract<Poco::JSON::Array::Ptr>();
      for (unsigned i = 0; i < items.size(); ++i) {
        checkCharacters(items.get(i).extract<std::string>(), spec.maxLength,
                        at + "[" + std::to_string(i) + "]");
      }
    }
    if (name == "notice") checkFields(kNotice, json::object(value, at), {}, at);
    if (name == "state") checkFields(kStateObject, json::object(value, at), {}, at);
  }
  json::expectOnlyKeys(object, allowed, where);
}

// The whole message checked; throws ProtocolError.
Message check(const Var& root) {
  try {
    const Object& object = json::object(root, "message");
    const auto typeName = json::string(json::field(object, "type", "message"), "message.type", 40);
    const auto* info = findType(typeName);
    if (info == nullptr) json::malformed("message.type", "unknown type \"" + typeName + "\"");
    Message message;
    message.type = info->type;
    if (hasId(*info)) {
      message.id = json::integer(json::field(object, "id", "message"), "message.id");
      // A reply to a line that could not be read carries id 0: it had no id to repeat.
      if (message.id < (info->type == T::Reply ? 0 : 1)) {
        json::malformed("message.id",
                        info->type == T::Reply ? "must be 0 or more" : "must be 1 or more");
      }
    }
    std::set<std::string_view> envelope{"type"};
    if (hasId(*info)) envelope.insert("id");
    checkFields(info->fields, object, envelope, "message");
    for (const auto& spec : info->fields) {
      const std::string name(spec.name);
      if (object.has(name)) message.body->set(name, object.get(name));
    }
    return message;
  } catch (const json::FieldError& error) {
    throw ProtocolError(error.what());
  }
}

}  // namespace

const MessageTypeInfo& messageTypeInfo(MessageType type) {
  return kMessageTypes.at(static_cast<std::size_t>(type));
}

std::span<const MessageField> noticeFields() { return kNotice; }
std::span<const MessageField> stateFields() { return kStateObject; }

Message parseMessage(std::string_view line) {
  if (line.size() > kMaxLineBytes) {
    throw ProtocolError("message: longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  try {
    return check(json::parse(line, kMaxDepth));
  } catch (const json::FieldError& error) {
    throw ProtocolError(error.what());
  }
}

std::string serialiseMessage(const Message& message) {
  Object object(*message.body);
  object.set("type", std::string(messageTypeInfo(message.type).name));
  if (hasId(messageTypeInfo(message.type))) object.set("id", message.id);
  std::ostringstream out;
  object.stringify(out);
  std::string line = out.str();
  // What the other side would refuse is refused here, where the mistake is.
  (void)parseMessage(line);
  line.push_back('\n');
  return line;
}

void LineReader::append(std::string_view bytes) { buffer_.append(bytes); }

std::optional<std::string> LineReader::next() {
  const auto end = buffer_.find('\n');
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxLineBytes) {
      throw ProtocolError("message: longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    return std::nullopt;
  }
  if (end > kMaxLineBytes) {
    throw ProtocolError("message: longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
  std::string line = buffer_.substr(0, end);
  buffer_.erase(0, end + 1);
  return line;
}

const WorryTopic* findWorryTopic(std::string_view id) {
  for (const auto& topic : kWorryTopics) {
    if (topic.id == id) return &topic;
  }
  return nullptr;
}

}  // namespace clubsafe::common::notice
