#include "agent/notices/notice_service.hpp"

#include "agent/notices/member_register.hpp"
#include "agent/notices/notice_events.hpp"
#include "common/domain_index/domain_name.hpp"
#include "common/json_fields.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Unicode.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace clubsafe::agent::notices {
namespace {

namespace proto = common::notice;
using Poco::JSON::Array;
using Poco::JSON::Object;

// A request refused; what() says why in plain words for the person at the laptop.
class RequestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The monitoring notice (N1) while the policy in force has none of the club's own: for a
// 10-year-old, and true of what this agent records (docs/ARCHITECTURE.md).
constexpr std::string_view kBuiltInClubName = "Your youth club";
constexpr std::array<std::string_view, 6> kBuiltInParagraphs{{
    "This laptop belongs to the club. While you use it, the club keeps a record of what you do "
    "on it.",
    "The record says which websites and apps you use, what you search for, and when you sign in "
    "and out. It never takes pictures of your screen.",
    "We do this to help keep you and everyone else safe online. Some websites are blocked "
    "because they are not right for young people.",
    "Only a few trained adults at the club can look at the record, and only to keep people safe. "
    "Other young people cannot see it.",
    "Most of the record is deleted after one year. Anything about keeping someone safe is kept "
    "for longer, as the law asks.",
    "If something online worries you, choose \"Report a worry\" or talk to a youth worker. You "
    "will not be in trouble for asking.",
}};

const common::NoticeText& builtInNotice() {
  static const common::NoticeText notice = [] {
    common::NoticeText text;
    text.clubName = kBuiltInClubName;
    text.paragraphs.assign(kBuiltInParagraphs.begin(), kBuiltInParagraphs.end());
    text.version = common::noticeVersion(text);
    return text;
  }();
  return notice;
}

constexpr std::size_t kMaxErrorCharacters = 300;
constexpr std::size_t kMaxStateTextCharacters = 100;  // proto::stateFields(): profile, overrides

bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t characterCount(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !isContinuationByte(c); }));
}

// At most `max` characters of UTF-8 `text`, ending in "…" when cut.
std::string firstCharacters(std::string_view text, std::size_t max) {
  if (characterCount(text) <= max) return std::string(text);
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    if (!isContinuationByte(text[end]) && ++kept == max) break;  // room for the "…"
    ++end;
  }
  return std::string(text.substr(0, end)) + "\u2026";
}

std::string trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(kSpace) - first + 1));
}

struct MemberName {
  std::string name;
  bool hasDigit = false;  // a member code rather than a first name
};

// Letters of any script (with their accents), digits, spaces and '-', 1 to kMaxNameLength
// characters once trimmed.
MemberName memberName(std::string_view raw) {
  MemberName result{trimmed(raw)};
  const Poco::UTF8Encoding utf8;
  bool letterOrDigit = false;
  std::size_t count = 0;
  for (Poco::TextIterator it(result.name, utf8), end(result.name); it != end; ++it) {
    const int c = *it;
    ++count;
    Poco::Unicode::CharacterProperties properties{};
    if (c >= 0) Poco::Unicode::properties(c, properties);
    const bool digit = c >= 0 && Poco::Unicode::isDigit(c);
    const bool letter = properties.category == Poco::Unicode::UCP_LETTER;
    const bool mark = properties.category == Poco::Unicode::UCP_MARK && letterOrDigit;
    if (!letter && !digit && !mark && c != ' ' && c != '-') {
      throw RequestError(
          "A name or member code can only have letters, numbers, spaces and \"-\" in it.");
    }
    letterOrDigit = letterOrDigit || letter || digit;
    result.hasDigit = result.hasDigit || digit;
  }
  if (!letterOrDigit) throw RequestError("Type your first name or your member code.");
  if (count > proto::kMaxNameLength) {
    throw RequestError("A name or member code can be at most " +
                       std::to_string(proto::kMaxNameLength) + " characters long.");
  }
  return result;
}

// The bands a member may choose when signing in, youngest first (common::memberAgeBands).
std::vector<std::string> selectableAgeBands(const dns::ProfileFilter& filter) {
  const auto inForce = filter.inForce();
  return inForce.policy ? common::memberAgeBands(inForce.policy->policy().profiles)
                        : std::vector<std::string>{};
}

// The notice of the policy in force, or the built-in one.
Object::Ptr noticeObject(const dns::ProfileFilter& filter) {
  const auto inForce = filter.inForce();
  const auto& text = inForce.policy && inForce.policy->policy().notice
                         ? *inForce.policy->policy().notice
                         : builtInNotice();
  Object::Ptr notice = new Object;
  notice->set("club_name", text.clubName);
  Array::Ptr paragraphs = new Array;
  for (const auto& paragraph : text.paragraphs) paragraphs->add(paragraph);
  notice->set("paragraphs", paragraphs);
  notice->set("policy_url", text.policyUrl);
  notice->set("version", text.version);
  return notice;
}

// "example.com until 18:30", the time in the laptop's own time zone.
std::string overrideWords(const ActiveOverride& unlock) {
  const auto until = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(unlock.until));
  std::tm local{};
  ::localtime_r(&until, &local);
  std::array<char, 16> clock{};
  const auto length = std::strftime(clock.data(), clock.size(), " until %H:%M", &local);
  const std::string suffix(clock.data(), length);
  return firstCharacters(unlock.target, kMaxStateTextCharacters - characterCount(suffix)) + suffix;
}

Object::Ptr okBody() {
  Object::Ptr body = new Object;
  body->set("ok", true);
  return body;
}

Object::Ptr refusal(const std::string& problem) {
  Object::Ptr body = new Object;
  body->set("ok", false);
  body->set("error", firstCharacters(problem, kMaxErrorCharacters));
  return body;
}

std::string replyLine(std::int64_t id, Object::Ptr body) {
  proto::Message reply;
  reply.type = proto::MessageType::Reply;
  reply.id = id;
  reply.body = std::move(body);
  try {
    return proto::serialiseMessage(reply);
  } catch (const proto::ProtocolError& error) {
    spdlog::error("The agent made a reply to the notice program that breaks the protocol ({}).",
                  firstCharacters(error.what(), kMaxErrorCharacters));
    reply.body = refusal("The agent could not answer that. Nothing was changed.");
    return proto::serialiseMessage(reply);
  }
}

// The id of a request that could not be read, if it had a usable one: its reply repeats it.
std::int64_t idOf(std::string_view line) {
  try {
    const auto root = common::json::parse(line, 8);
    if (!common::json::isObject(root)) return 0;
    const auto& object = common::json::object(root, "message");
    if (!object.has("id")) return 0;
    const auto id = common::json::integer(object.get("id"), "message.id");
    return id > 0 ? id : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::string text(const proto::Message& request, const std::string& field) {
  return request.body->has(field) ? request.body->getValue<std::string>(field) : std::string();
}

}  // namespace

NoticeService::NoticeService(NoticeServiceOptions options, outbox::Outbox& outbox,
                             const dns::ProfileFilter& filter, policy::ActiveProfile& active,
                             platform::LoginSessions& sessions, WorkerPins& pins,
                             Overrides& overrides, CategoryOf categoryOf)
    : options_(std::move(options)),
      outbox_(outbox),
      filter_(filter),
      active_(active),
      sessions_(sessions),
      pins_(pins),
      overrides_(overrides),
      categoryOf_(std::move(categoryOf)) {}

void NoticeService::setPush(Push push) {
  const std::lock_guard lock(mutex_);
  push_ = std::move(push);
}

void NoticeService::opened(const Caller& caller) {
  const std::lock_guard lock(mutex_);
  // Before it counts: the newcomer hears the state in the reply to its hello.
  pushStateIfChanged();
  connections_[caller.connection].caller = caller;
  lastState_.try_emplace(caller.uid, stateLine(caller.uid));
}

void NoticeService::closed(std::uint64_t connection) {
  const std::lock_guard lock(mutex_);
  const auto found = connections_.find(connection);
  if (found == connections_.end()) return;
  if (found->second.acknowledgeBy) missingAcknowledgement(found->second);
  const auto uid = found->second.caller.uid;
  connections_.erase(found);
  if (std::none_of(connections_.begin(), connections_.end(),
                   [uid](const auto& other) { return other.second.caller.uid == uid; })) {
    lastState_.erase(uid);
  }
  if (signedIn_ && signedIn_->uid == uid && sessionEnded(uid)) signOutLocked("session_ended");
  pushStateIfChanged();
}

bool NoticeService::greeted(std::uint64_t connection) const {
  const std::lock_guard lock(mutex_);
  const auto found = connections_.find(connection);
  return found != connections_.end() && found->second.greeted;
}

bool NoticeService::anyoneListening() const {
  const std::lock_guard lock(mutex_);
  return std::any_of(connections_.begin(), connections_.end(),
                     [](const auto& entry) { return entry.second.greeted; });
}

std::string NoticeService::handleLine(std::uint64_t connection, std::string_view line) {
  proto::Message request;
  try {
    request = proto::parseMessage(line);
  } catch (const proto::ProtocolError& error) {
    auto problem = firstCharacters(error.what(), kMaxErrorCharacters / 2);
    // It may quote what was sent: no control characters into the log.
    std::replace_if(
        problem.begin(), problem.end(),
        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; }, '?');
    spdlog::warn("The notice socket refused a message that breaks the protocol: {}.", problem);
    return replyLine(idOf(line), refusal("The agent could not read that message (" + problem +
                                         "). Nothing was changed."));
  }
  const auto& info = proto::messageTypeInfo(request.type);
  std::optional<Caller> caller;
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = connections_.find(connection); found != connections_.end()) {
      caller = found->second.caller;
    }
  }
  Object::Ptr body;
  try {
    if (!caller) throw RequestError("This connection is not open. Nothing was changed.");
    if (!info.request) {
      throw RequestError("The agent does not take \"" + std::string(info.name) +
                         "\" messages. Nothing was changed.");
    }
    body = dispatch(*caller, request);
  } catch (const RequestError& error) {
    spdlog::info("The notice socket refused a request ({}): {}", info.name, error.what());
    body = refusal(error.what());
  } catch (const std::exception& error) {
    spdlog::error("A {} request on the notice socket failed: {}", info.name, error.what());
    body = refusal("Something went wrong in the agent. Please tell a youth worker.");
  }
  {
    const std::lock_guard lock(mutex_);
    pushStateIfChanged();
  }
  return replyLine(request.id, body);
}

Object::Ptr NoticeService::dispatch(const Caller& caller, const proto::Message& request) {
  using T = proto::MessageType;
  switch (request.type) {
    case T::Hello:
      return hello(caller.connection);
    case T::Acknowledge:
      return acknowledge(caller.connection, request);
    case T::SignIn:
      return signIn(caller, request);
    case T::StaffSignIn:
      return staffSignIn(caller, request);
    case T::SignOut:
      return signOut(caller);
    case T::ReviewRequest:
      return reviewRequest(caller, request);
    case T::ReportWorry:
      return reportWorry(caller, request);
    case T::Override:
      return grantOverride(caller, request);
    case T::Reply:
    case T::Blocked:
    case T::State:
      break;
  }
  throw RequestError("The agent does not take that message. Nothing was changed.");
}

Object::Ptr NoticeService::hello(std::uint64_t connection) {
  const std::lock_guard lock(mutex_);
  auto& state = connections_[connection];
  const auto notice = noticeObject(filter_);
  state.greeted = true;
  state.noticeVersion = notice->getValue<std::string>("version");
  if (!state.acknowledged && !state.acknowledgeBy) {
    state.acknowledgeBy = options_.clock() + options_.acknowledgeTimeout;
  }
  auto body = okBody();
  body->set("notice", notice);
  body->set("state", stateLocked(state.caller.uid));
  return body;
}

Object::Ptr NoticeService::acknowledge(std::uint64_t connection, const proto::Message& request) {
  const auto version = text(request, "notice_version");
  const std::lock_guard lock(mutex_);
  auto& state = connections_[connection];
  if (!state.greeted) {
    throw RequestError("Say hello first: the notice has not been shown on this connection.");
  }
  if (version != state.noticeVersion) {
    throw RequestError(
        "That is not the notice this laptop shows now. Show the new one (say "
        "hello again) and acknowledge that.");
  }
  if (!state.acknowledged) {
    state.acknowledged = true;
    state.acknowledgeBy.reset();
    (void)record(noticeAcknowledgedEvent(state.caller.user, true, version));
  }
  return okBody();
}

Object::Ptr NoticeService::signIn(const Caller& caller, const proto::Message& request) {
  const auto name = memberName(text(request, "name"));
  const auto band = text(request, "age_band");
  const std::lock_guard lock(mutex_);
  const auto bands = selectableAgeBands(filter_);
  if (bands.empty()) {
    throw RequestError(
        "There are no age bands to sign in with yet. Ask a youth worker to sign "
        "in with their PIN.");
  }
  if (std::find(bands.begin(), bands.end(), band) == bands.end()) {
    throw RequestError("Choose one of the age bands shown.");
  }
  const auto inForce = filter_.inForce();
  const auto registered =
      inForce.policy ? registeredAgeBand(inForce.policy->policy(), name.name) : std::nullopt;
  if (!registered &&
      (!inForce.policy || !choosableWithoutRegister(inForce.policy->policy(), band))) {
    throw RequestError(
        "You can only choose that age band if a youth worker has added you to the club's list. "
        "Choose a younger age band, or ask a youth worker.");
  }
  checkNotSignedInElsewhere(caller);
  // The register's band wins over the one chosen: it is what the club wrote down for them.
  signInLocked({name.name, registered.value_or(band), false, caller.uid, caller.user, {}},
               name.hasDigit ? "member_code" : "first_name");
  auto body = okBody();
  body->set("state", stateLocked(caller.uid));
  return body;
}

Object::Ptr NoticeService::staffSignIn(const Caller& caller, const proto::Message& request) {
  const auto worker = workerFor(text(request, "pin"));
  const std::lock_guard lock(mutex_);
  signInLocked({worker, std::string(kStaffAgeBand), true, caller.uid, caller.user, {}},
               "staff_pin");
  auto body = okBody();
  body->set("state", stateLocked(caller.uid));
  return body;
}

Object::Ptr NoticeService::signOut(const Caller& caller) {
  const std::lock_guard lock(mutex_);
  if (!signedIn_) throw RequestError("Nobody is signed in on this laptop.");
  if (signedIn_->uid != caller.uid) {
    throw RequestError(
        "Only the person who signed in can sign out, or a youth worker with their PIN. Nothing "
        "was changed.");
  }
  signOutLocked("signed_out");
  auto body = okBody();
  body->set("state", stateLocked(caller.uid));
  return body;
}

void NoticeService::checkNotSignedInElsewhere(const Caller& caller) const {
  if (signedIn_ && signedIn_->uid != caller.uid) {
    throw RequestError(
        "Someone is signed in on this laptop from another account. They sign out first, or a "
        "youth worker signs in with their PIN. Nothing was changed.");
  }
}

Object::Ptr NoticeService::reviewRequest(const Caller& caller, const proto::Message& request) {
  const auto name = common::domain_index::NormalisedName::from(text(request, "domain"));
  if (!name.ok()) throw RequestError("That is not the name of a website. Nothing was sent.");
  const std::string domain(name.view());
  const auto category = categoryOf_ ? categoryOf_(domain) : std::string();
  const auto message = trimmed(text(request, "message"));
  const std::lock_guard lock(mutex_);
  if (!record(reviewRequestEvent(caller.user, domain, category, message))) {
    throw RequestError(
        "Your request could not be saved on this laptop. Please ask a youth "
        "worker instead.");
  }
  return okBody();
}

Object::Ptr NoticeService::reportWorry(const Caller& caller, const proto::Message& request) {
  const auto about = text(request, "about");
  if (proto::findWorryTopic(about) == nullptr) {
    throw RequestError("Choose what your worry is about.");
  }
  const auto message = trimmed(text(request, "message"));
  if (message.empty()) throw RequestError("Write a few words about your worry, then send it.");
  const std::lock_guard lock(mutex_);
  if (!record(worryReportEvent(caller.user, about, message))) {
    throw RequestError(
        "Your worry could not be saved on this laptop. Please tell a youth "
        "worker you trust, or call Childline free on 0800 1111.");
  }
  spdlog::info("A worry report was saved for the Designated Safeguarding Lead.");
  return okBody();
}

Object::Ptr NoticeService::grantOverride(const Caller& caller, const proto::Message& request) {
  Grant grant{text(request, "scope"), text(request, "target"),
              request.body->getValue<std::int64_t>("minutes"), text(request, "reason"),
              workerFor(text(request, "pin"))};
  common::Event event;
  try {
    event = overrides_.grant(grant, caller.user);
  } catch (const OverrideError& error) {
    throw RequestError(error.what());
  }
  const std::lock_guard lock(mutex_);
  (void)record(std::move(event));
  auto body = okBody();
  body->set("state", stateLocked(caller.uid));
  return body;
}

std::string NoticeService::workerFor(const std::string& pin) {
  // Not under mutex_: hashing takes a while, and block notifications must not wait on it.
  const auto check = pins_.check(pin);
  switch (check.outcome) {
    case PinCheck::Outcome::Ok:
      return check.worker;
    case PinCheck::Outcome::Wrong:
      spdlog::info("A wrong worker PIN was entered in the notice program.");
      throw RequestError("That PIN is not right. Check it and try again.");
    case PinCheck::Outcome::LockedOut: {
      const auto minutes = std::chrono::ceil<std::chrono::minutes>(check.retryAfter).count();
      throw RequestError("Too many wrong PINs. PINs can be tried again in " +
                         std::to_string(std::max<std::int64_t>(minutes, 1)) + " minutes.");
    }
    case PinCheck::Outcome::NoWorkers:
      break;
  }
  throw RequestError(
      "No worker PINs are set up for this laptop yet. A manager adds workers in "
      "the console's policy.");
}

void NoticeService::tick() {
  const std::lock_guard lock(mutex_);
  const auto now = options_.clock();
  for (auto& [id, connection] : connections_) {
    if (connection.acknowledgeBy && now >= *connection.acknowledgeBy) {
      missingAcknowledgement(connection);
    }
  }
  if (signedIn_ && !signedIn_->staff) {
    const auto bands = selectableAgeBands(filter_);
    if (std::find(bands.begin(), bands.end(), signedIn_->ageBand) == bands.end()) {
      signOutLocked("policy_changed");
    }
  }
  if (signedIn_ && signedIn_->staff && now - signedIn_->since >= options_.staffSignInLimit) {
    signOutLocked("time_limit");
  }
  if (signedIn_ && sessionEnded(signedIn_->uid)) signOutLocked("session_ended");
  pushStateIfChanged();
}

void NoticeService::pushBlocked(const std::string& domain, const std::string& category,
                                const std::string& reasonWords) {
  proto::Message message;
  message.type = proto::MessageType::Blocked;
  message.body->set("domain", domain);
  message.body->set("category", category);
  message.body->set("reason", reasonWords);
  std::string line;
  try {
    line = proto::serialiseMessage(message);
  } catch (const proto::ProtocolError& error) {
    spdlog::warn("A block notification could not be sent to the notice program ({}).",
                 firstCharacters(error.what(), kMaxErrorCharacters));
    return;
  }
  const std::lock_guard lock(mutex_);
  for (const auto& [uid, user] : accountsAtTheScreen()) {
    (void)record(blockNoticeEvent(user, domain, category));
    if (push_) push_(uid, line);
  }
}

std::map<std::uint32_t, std::string> NoticeService::accountsAtTheScreen() {
  std::map<std::uint32_t, std::string> connected;
  for (const auto& [id, connection] : connections_) {
    connected.emplace(connection.caller.uid, connection.caller.user);
  }
  if (options_.withoutLogind) return connected;
  const auto sessions = sessions_.list();
  if (sessions.empty()) return connected;
  std::erase_if(connected, [&sessions](const auto& account) {
    return std::none_of(sessions.begin(), sessions.end(), [&account](const auto& session) {
      return session.uid == account.first && session.state == "active";
    });
  });
  return connected;
}

outbox::Outbox::Stamp NoticeService::stamp() {
  return [this](common::Event& event) {
    const std::lock_guard lock(stampMutex_);
    if (event.profile.empty()) event.profile = active_.current().profileId;
    // Another account's events are not theirs; the laptop's own (DNS, tamper) are.
    const bool theirs =
        event.osUser.empty() || (stampValues_ && event.osUser == stampValues_->osUser);
    if (stampValues_ && theirs && event.member.empty()) event.member = stampValues_->member;
  };
}

bool NoticeService::record(common::Event event) {
  const auto status = reports_ != nullptr ? reports_->submit(event) : outbox_.append(event);
  if (status.ok()) return true;
  spdlog::error("A {} event could not be saved in the outbox: {}",
                common::eventTypeInfo(event.type).name, status.message());
  return false;
}

void NoticeService::signInLocked(SignedIn who, const std::string& method) {
  if (signedIn_) signOutLocked("signed_out");
  const auto now = active_.signIn(who.ageBand);
  who.since = options_.clock();
  {
    const std::lock_guard lock(stampMutex_);
    stampValues_ = StampValues{who.member, who.osUser};
  }
  spdlog::info("{} signed in through the notice program: the profile \"{}\" is in force.",
               who.staff ? "A worker" : "A member", now.profileName);
  (void)record(memberSignInEvent(who.osUser, who.member, who.ageBand, method));
  signedIn_ = std::move(who);
}

void NoticeService::signOutLocked(const std::string& reason) {
  if (!signedIn_) return;
  const auto who = std::move(*signedIn_);
  signedIn_.reset();
  // Recorded while the stamp still names the profile they were on.
  (void)record(memberSignOutEvent(who.osUser, who.member, reason));
  {
    const std::lock_guard lock(stampMutex_);
    stampValues_.reset();
  }
  const auto now = active_.signOut();
  spdlog::info(
      "The {} signed in on this laptop was signed out ({}): the profile \"{}\" is in "
      "force.",
      who.staff ? "worker" : "member", reason, now.profileName);
}

void NoticeService::missingAcknowledgement(Connection& connection) {
  connection.acknowledgeBy.reset();
  (void)record(noticeAcknowledgedEvent(connection.caller.user, false, connection.noticeVersion));
}

bool NoticeService::sessionEnded(std::uint32_t uid) {
  const bool connected = std::any_of(connections_.begin(), connections_.end(),
                                     [uid](const auto& c) { return c.second.caller.uid == uid; });
  if (connected) return false;
  return !platform::hasOpenSession(sessions_.list(), uid);
}

Object::Ptr NoticeService::stateLocked(std::uint32_t uid) const {
  Object::Ptr state = new Object;
  if (signedIn_ && signedIn_->uid == uid) {
    state->set("member", firstCharacters(signedIn_->member, proto::kMaxNameLength));
    state->set("age_band", signedIn_->ageBand);
  }
  state->set("staff", signedIn_ && signedIn_->uid == uid && signedIn_->staff);
  state->set("profile", firstCharacters(active_.current().profileName, kMaxStateTextCharacters));
  Array::Ptr bands = new Array;
  for (const auto& band : selectableAgeBands(filter_)) bands->add(band);
  state->set("age_bands", bands);
  Array::Ptr unlocks = new Array;
  for (const auto& unlock : overrides_.active()) unlocks->add(overrideWords(unlock));
  state->set("overrides", unlocks);
  return state;
}

std::string NoticeService::stateLine(std::uint32_t uid) const {
  proto::Message message;
  message.type = proto::MessageType::State;
  message.body->set("state", stateLocked(uid));
  try {
    return proto::serialiseMessage(message);
  } catch (const proto::ProtocolError& error) {
    spdlog::error("The agent made a state message that breaks the protocol ({}).",
                  firstCharacters(error.what(), kMaxErrorCharacters));
    return {};
  }
}

void NoticeService::pushStateIfChanged() {
  for (auto& [uid, known] : lastState_) {
    auto line = stateLine(uid);
    if (line.empty() || line == known) continue;
    known = line;
    if (push_) push_(uid, std::move(line));
  }
}

}  // namespace clubsafe::agent::notices
