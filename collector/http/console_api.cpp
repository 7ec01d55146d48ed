#include "collector/http/console_api.hpp"

#include "collector/http/api_error.hpp"
#include "collector/http/json_io.hpp"
#include "common/time.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/NumberParser.h>

#include <spdlog/spdlog.h>

namespace clubsafe::collector {
namespace {

constexpr const char* kSessionCookie = "clubsafe_session";
// A profile holds up to 2 × 10,000 domain names.
constexpr std::size_t kMaxProfileBodyBytes = 8 * 1024 * 1024;
// 20 paragraphs of 600 bytes, with room for JSON's escapes.
constexpr std::size_t kMaxNoticeBodyBytes = 64 * 1024;
// JSON escapes each line ending in a list as two bytes: room for that on top of the text.
constexpr std::size_t kMaxListBodyBytes = kMaxListBytes + kMaxListBytes / 4;

void setSessionCookie(ServerResponse& response, const std::string& value, bool clear) {
  Poco::Net::HTTPCookie cookie(kSessionCookie, value);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSecure(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  if (clear) cookie.setMaxAge(0);
  response.addCookie(cookie);
}

std::string sessionCookie(const ServerRequest& request) {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(kSessionCookie, "");
}

void requireJsonContent(const ServerRequest& request) {
  const auto type = request.getContentType();
  if (type.rfind("application/json", 0) != 0) {
    throw ApiError(415, "Console requests must be sent as JSON.");
  }
}

// A browser always sends Origin on a cross-site POST; refusing a foreign one stops CSRF even
// where SameSite cookies are not honoured.
void requireSameOrigin(const ServerRequest& request) {
  const auto origin = request.get("Origin", "");
  if (!origin.empty() && origin != "https://" + request.getHost()) {
    throw ApiError(403, "This request came from another web site and was refused.");
  }
}

std::int64_t idParameter(const Request& request) {
  Poco::Int64 id = 0;
  if (!Poco::NumberParser::tryParse64(request.pathParameters.at(0), id) || id <= 0) {
    throw ApiError(404, "There is no such item.");
  }
  return id;
}

Poco::Dynamic::Var optionalTime(const std::optional<Timestamp>& time) {
  return time ? Poco::Dynamic::Var(common::formatTimestamp(*time)) : Poco::Dynamic::Var();
}

std::string tokenState(const EnrolmentTokenRecord& token, Timestamp now) {
  if (token.revoked) return "revoked";
  if (token.usedAt) return "used";
  if (token.expiresAt <= now) return "expired";
  return "active";
}

// What login and session answer: who is signed in, the CSRF token, and whether the password
// must be changed first.
Poco::JSON::Object sessionJson(const ConsoleUser& user, const std::string& csrfToken) {
  Poco::JSON::Object person;
  person.set("username", user.username);
  person.set("role", user.role);
  Poco::JSON::Object json;
  json.set("user", person);
  json.set("csrf_token", csrfToken);
  json.set("must_change_password", user.mustChangePassword);
  return json;
}

int statusFor(FilteringError::Kind kind) {
  switch (kind) {
    case FilteringError::Kind::NotFound:
      return 404;
    case FilteringError::Kind::Conflict:
      return 409;
    case FilteringError::Kind::Invalid:
      break;
  }
  return 400;
}

// Runs a filtering change, turning a refusal into the answer the console shows.
template <typename Change>
void applyFilteringChange(Change&& change) {
  try {
    change();
  } catch (const FilteringError& error) {
    throw ApiError(statusFor(error.kind()), error.what());
  }
}

ChangeAuthor author(const Poco::JSON::Object& body, const AuthenticatedSession& session) {
  return {session.user.username, optionalString(body, "reason", kMaxReasonLength)};
}

// The "profile" object of a request, read by the policy's own rules: an error names the field.
common::Profile profileFromBody(const Poco::JSON::Object& body) {
  if (!body.has("profile") || body.get("profile").type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "The field \"profile\" is missing or is not an object.");
  }
  try {
    return common::parseProfile(*body.getObject("profile"), "profile");
  } catch (const common::PolicyError& error) {
    throw ApiError(400, error.what());
  }
}

Poco::JSON::Object::Ptr filterListJson(const FilterListRecord& list) {
  Poco::JSON::Object::Ptr bad = new Poco::JSON::Object;
  std::int64_t badLines = 0;
  for (const auto& [reason, count] : list.bad) {
    bad->set(reason, count);
    badLines += count;
  }
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", list.id);
  json->set("category", list.category);
  json->set("source", list.source);
  json->set("format", list.format);
  json->set("sha256", list.sha256);
  json->set("bytes", list.bytes);
  json->set("lines", list.lines);
  json->set("names", list.names);
  json->set("ignored", list.ignored);
  json->set("unsupported", list.unsupported);
  json->set("bad_lines", badLines);
  json->set("bad_reasons", bad);
  json->set("imported_by", list.importedBy);
  json->set("imported_at", common::formatTimestamp(list.importedAt));
  return json;
}

Poco::Dynamic::Var indexJson(const PolicyDocument& policy) {
  if (policy.indexSha256.empty()) return {};
  Poco::JSON::Object::Ptr index = new Poco::JSON::Object;
  index->set("sha256", policy.indexSha256);
  index->set("bytes", policy.indexBytes);
  return index;
}

}  // namespace

std::string enrolCommand(const std::string& publicUrl, const std::string& fingerprint,
                         const std::string& token) {
  return "sudo clubsafe-agent enrol --server " + publicUrl + " --fingerprint " + fingerprint +
         " --token " + token;
}

void ConsoleApi::addRoutes(Router& router) {
  const auto read = Access::Read;
  const auto change = Access::Change;
  const auto allow = DuringPasswordChange::Allow;
  router.add("POST", "/api/console/login", [this](Request& request) { login(request); });
  router.add("GET", "/api/console/session", guarded(&ConsoleApi::session, read, allow));
  router.add("POST", "/api/console/logout", guarded(&ConsoleApi::logout, change, allow));
  router.add("POST", "/api/console/password", guarded(&ConsoleApi::changePassword, change, allow));
  router.add("GET", "/api/console/devices", guarded(&ConsoleApi::listDevices, read));
  router.add("POST", "/api/console/devices/{}/revoke", guarded(&ConsoleApi::revokeDevice, change));
  router.add("GET", "/api/console/enrolment-tokens",
             guarded(&ConsoleApi::listEnrolmentTokens, read));
  router.add("POST", "/api/console/enrolment-tokens",
             guarded(&ConsoleApi::createEnrolmentToken, change));
  router.add("POST", "/api/console/enrolment-tokens/{}/revoke",
             guarded(&ConsoleApi::revokeEnrolmentToken, change));
  router.add("GET", "/api/console/server", guarded(&ConsoleApi::serverInfo, read));
  router.add("GET", "/api/console/filtering/categories",
             guarded(&ConsoleApi::listFilterCategories, read));
  router.add("POST", "/api/console/filtering/lists", guarded(&ConsoleApi::importFilterList, change),
             kMaxListBodyBytes);
  router.add("POST", "/api/console/filtering/lists/{}/delete",
             guarded(&ConsoleApi::deleteFilterList, change));
  router.add("GET", "/api/console/filtering/profiles",
             guarded(&ConsoleApi::listFilterProfiles, read));
  router.add("POST", "/api/console/filtering/profiles",
             guarded(&ConsoleApi::createFilterProfile, change), kMaxProfileBodyBytes);
  router.add("POST", "/api/console/filtering/profiles/{}",
             guarded(&ConsoleApi::updateFilterProfile, change), kMaxProfileBodyBytes);
  router.add("POST", "/api/console/filtering/profiles/{}/delete",
             guarded(&ConsoleApi::deleteFilterProfile, change));
  router.add("POST", "/api/console/filtering/default-profile",
             guarded(&ConsoleApi::setDefaultFilterProfile, change));
  router.add("GET", "/api/console/notice", guarded(&ConsoleApi::showNotice, read));
  router.add("POST", "/api/console/notice", guarded(&ConsoleApi::saveNotice, change),
             kMaxNoticeBodyBytes);
  router.add("GET", "/api/console/workers", guarded(&ConsoleApi::listWorkers, read));
  router.add("POST", "/api/console/workers", guarded(&ConsoleApi::addWorker, change));
  router.add("POST", "/api/console/workers/{}/delete", guarded(&ConsoleApi::deleteWorker, change));
}

Handler ConsoleApi::guarded(SessionHandler handler, Access access,
                            DuringPasswordChange duringPasswordChange) {
  return [this, handler, access, duringPasswordChange](Request& request) {
    const auto session = consoleAuth_.authenticate(sessionCookie(request.http), common::nowUtc());
    if (!session) throw ApiError(401, "Please sign in.");
    if (access == Access::Change) {
      requireJsonContent(request.http);
      requireSameOrigin(request.http);
      if (!ConsoleAuth::csrfTokenMatches(*session, request.http.get("X-CSRF-Token", ""))) {
        throw ApiError(403, "This page is out of date. Reload it and try again.");
      }
    }
    if (session->user.mustChangePassword && duringPasswordChange == DuringPasswordChange::Refuse) {
      throw ApiError(403, "Choose your own password before you go on.");
    }
    (this->*handler)(request, *session);
  };
}

void ConsoleApi::login(Request& request) {
  requireJsonContent(request.http);
  requireSameOrigin(request.http);
  const auto body = readJsonObject(request.http);
  const auto username = requireString(*body, "username");
  const auto password = requireString(*body, "password", 1024);
  const auto clientAddress = request.http.clientAddress().host().toString();
  const auto result = consoleAuth_.login(username, password, clientAddress, common::nowUtc());
  // Refusals are not audited: anyone can send them as often as they like, and the audit log is
  // not theirs to fill. The log says when an account is locked and when sign-ins are turned
  // away, in lines that never vary (no names, no addresses), so its repeat limit (see
  // common/repeat_limit_sink.hpp) keeps a flood of them to a few lines a minute.
  switch (result.outcome) {
    case LoginOutcome::WrongCredentials:
      throw ApiError(401, "That user name and password don't match.");
    case LoginOutcome::TooManyAttempts:
      spdlog::warn("Refused console sign-ins from one computer: too many attempts.");
      request.response.set("Retry-After", std::to_string(result.retryAfter.count()));
      sendError(request.response, 429,
                "Too many sign-in attempts from this computer. Wait a minute and try again.");
      return;
    case LoginOutcome::Busy:
      spdlog::warn("Asked a console sign-in to try again: every password check was busy.");
      request.response.set("Retry-After", std::to_string(result.retryAfter.count()));
      sendError(request.response, 503,
                "The server is busy checking other sign-ins. Try again in a moment.");
      return;
    case LoginOutcome::LockedOut: {
      spdlog::warn("A console account is locked after repeated wrong passwords.");
      Poco::JSON::Object answer;
      answer.set("error", "Too many wrong tries: this account is locked for a while.");
      answer.set("locked_until", optionalTime(result.lockedUntil));
      sendJson(request.response, 423, answer);
      return;
    }
    case LoginOutcome::Success:
      break;
  }
  storage_.recordAudit({common::nowUtc(), username, "console.login", "", ""});
  setSessionCookie(request.response, result.sessionCookie, false);
  sendJson(request.response, 200, sessionJson(result.user, result.csrfToken));
}

void ConsoleApi::session(Request& request, const AuthenticatedSession& session) {
  sendJson(request.response, 200, sessionJson(session.user, session.csrfToken));
}

void ConsoleApi::logout(Request& request, const AuthenticatedSession& session) {
  consoleAuth_.logout(session);
  setSessionCookie(request.response, "", true);
  sendNoContent(request.response);
}

void ConsoleApi::changePassword(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto current = requireString(*body, "current_password", 1024);
  const auto replacement = requireString(*body, "new_password", 1024);
  switch (consoleAuth_.changePassword(session, current, replacement)) {
    case PasswordChangeOutcome::WrongCurrentPassword:
      throw ApiError(400, "Your current password is not right.");
    case PasswordChangeOutcome::TooShort:
      throw ApiError(400, "Choose a password of at least " +
                              std::to_string(consoleAuth_.settings().minimumPasswordLength) +
                              " characters. A few ordinary words together are easy to remember.");
    case PasswordChangeOutcome::SameAsCurrent:
      throw ApiError(400, "Choose a password different from the one you have now.");
    case PasswordChangeOutcome::Changed:
      break;
  }
  if (!settings_.firstLoginFile.empty() && session.user.mustChangePassword) {
    Poco::File file(settings_.firstLoginFile);
    if (file.exists()) file.remove();
  }
  audit(session, "console.password_changed", session.user.username);
  sendNoContent(request.response);
}

void ConsoleApi::listDevices(Request& request, const AuthenticatedSession&) {
  const auto now = common::nowUtc();
  Poco::JSON::Array::Ptr devices = new Poco::JSON::Array;
  for (const auto& device : storage_.listDevices()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", device.id);
    json->set("name", device.name);
    json->set("hostname", device.hostname);
    json->set("os", device.os);
    json->set("agent_version", device.agentVersion);
    json->set("enrolled_at", common::formatTimestamp(device.enrolledAt));
    json->set("last_seen", optionalTime(device.lastSeen));
    json->set("online", !device.revoked && device.lastSeen &&
                            now - *device.lastSeen <= settings_.offlineAfter);
    json->set("backlog", device.backlog);
    json->set("queue_lag_seconds", device.queueLagSeconds);
    json->set("highest_sequence", device.highestSequence);
    json->set("revoked", device.revoked);
    devices->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("now", common::formatTimestamp(now));
  answer.set("offline_after_seconds", static_cast<Poco::Int64>(settings_.offlineAfter.count()));
  answer.set("devices", devices);
  sendJson(request.response, 200, answer);
}

void ConsoleApi::revokeDevice(Request& request, const AuthenticatedSession& session) {
  const auto& deviceId = request.pathParameters.at(0);
  if (!storage_.revokeDevice(deviceId)) throw ApiError(404, "There is no such laptop.");
  audit(session, "device.revoke", deviceId);
  sendNoContent(request.response);
}

void ConsoleApi::listEnrolmentTokens(Request& request, const AuthenticatedSession&) {
  const auto now = common::nowUtc();
  Poco::JSON::Array::Ptr tokens = new Poco::JSON::Array;
  for (const auto& token : storage_.listEnrolmentTokens()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", token.id);
    json->set("label", token.label);
    json->set("created_by", token.createdBy);
    json->set("created_at", common::formatTimestamp(token.createdAt));
    json->set("expires_at", common::formatTimestamp(token.expiresAt));
    json->set("used_at", optionalTime(token.usedAt));
    json->set("used_by_device", token.usedByDevice);
    json->set("state", tokenState(token, now));
    tokens->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("tokens", tokens);
  sendJson(request.response, 200, answer);
}

void ConsoleApi::createEnrolmentToken(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto label = optionalString(*body, "label", 100);
  const auto created = deviceAuth_.createEnrolmentToken(
      label, session.user.username, common::nowUtc(), settings_.enrolmentTokenLifetime);
  audit(session, "enrolment_token.create", std::to_string(created.id), label);
  Poco::JSON::Object answer;
  answer.set("id", created.id);
  answer.set("token", created.token);
  answer.set("expires_at", common::formatTimestamp(created.expiresAt));
  answer.set("command", enrolCommand(settings_.publicUrl, settings_.fingerprint, created.token));
  sendJson(request.response, 201, answer);
}

void ConsoleApi::revokeEnrolmentToken(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  if (!storage_.revokeEnrolmentToken(id)) {
    throw ApiError(404, "There is no unused enrolment token with that number.");
  }
  audit(session, "enrolment_token.revoke", std::to_string(id));
  sendNoContent(request.response);
}

void ConsoleApi::serverInfo(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Object answer;
  answer.set("url", settings_.publicUrl);
  answer.set("fingerprint", settings_.fingerprint);
  answer.set("version", std::string(CLUBSAFE_VERSION));
  sendJson(request.response, 200, answer);
}

void ConsoleApi::sendPolicyVersion(Request& request, int status) {
  Poco::JSON::Object answer;
  answer.set("policy_version", storage_.currentPolicy().version);
  sendJson(request.response, status, answer);
}

void ConsoleApi::listFilterCategories(Request& request, const AuthenticatedSession&) {
  const auto policy = storage_.currentPolicy();
  Poco::JSON::Array::Ptr categories = new Poco::JSON::Array;
  Poco::JSON::Object::Ptr category;
  Poco::JSON::Array::Ptr lists;
  std::int64_t names = 0;
  // Lists come sorted by category, so each category's lists are next to each other.
  for (const auto& list : storage_.listFilterLists()) {
    if (category.isNull() || category->getValue<std::string>("category") != list.category) {
      category = new Poco::JSON::Object;
      lists = new Poco::JSON::Array;
      names = 0;
      category->set("category", list.category);
      category->set("lists", lists);
      categories->add(category);
    }
    names += list.names;
    category->set("names", names);
    lists->add(filterListJson(list));
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", policy.version);
  answer.set("index", indexJson(policy));
  answer.set("categories", categories);
  sendJson(request.response, 200, answer);
}

void ConsoleApi::importFilterList(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  std::vector<ListImport> lists;
  lists.push_back({.category = requireString(*body, "category", 100),
                   .source = requireString(*body, "source", 200),
                   .format = requireString(*body, "format", 20),
                   .text = requireString(*body, "text", kMaxListBytes)});
  std::vector<FilterListRecord> imported;
  applyFilteringChange([&] { imported = filtering_.importLists(lists, author(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("policy_version", storage_.currentPolicy().version);
  answer.set("list", filterListJson(imported.at(0)));
  sendJson(request.response, 201, answer);
}

void ConsoleApi::deleteFilterList(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { filtering_.deleteList(id, author(*body, session)); });
  sendPolicyVersion(request, 200);
}

void ConsoleApi::listFilterProfiles(Request& request, const AuthenticatedSession&) {
  const auto policy = storage_.currentPolicy();
  Poco::JSON::Array::Ptr profiles = new Poco::JSON::Array;
  for (const auto& profile : storage_.listFilterProfiles()) {
    profiles->add(common::profileToJson(profile));
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", policy.version);
  answer.set("default_profile", storage_.defaultFilterProfile());
  answer.set("profiles", profiles);
  sendJson(request.response, 200, answer);
}

void ConsoleApi::createFilterProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto profile = profileFromBody(*body);
  applyFilteringChange([&] { filtering_.createProfile(profile, author(*body, session)); });
  sendPolicyVersion(request, 201);
}

void ConsoleApi::updateFilterProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto profile = profileFromBody(*body);
  if (profile.id != request.pathParameters.at(0)) {
    throw ApiError(400,
                   "profile.id: a profile's id cannot be changed; make a new profile instead.");
  }
  applyFilteringChange([&] { filtering_.updateProfile(profile, author(*body, session)); });
  sendPolicyVersion(request, 200);
}

void ConsoleApi::deleteFilterProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  applyFilteringChange(
      [&] { filtering_.deleteProfile(request.pathParameters.at(0), author(*body, session)); });
  sendPolicyVersion(request, 200);
}

void ConsoleApi::setDefaultFilterProfile(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto id = requireString(*body, "profile", 100);
  applyFilteringChange([&] { filtering_.setDefaultProfile(id, author(*body, session)); });
  sendPolicyVersion(request, 200);
}

void ConsoleApi::showNotice(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Object answer;
  answer.set("policy_version", storage_.currentPolicy().version);
  const auto notice = storage_.noticeText();
  answer.set("notice",
             notice ? Poco::Dynamic::Var(common::noticeToJson(*notice)) : Poco::Dynamic::Var());
  sendJson(request.response, 200, answer);
}

void ConsoleApi::saveNotice(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  // Lengths are checked by the policy's rules, which name the field; these only bound the read.
  const common::NoticeText notice{.clubName = requireString(*body, "club_name", 1000),
                                  .paragraphs = requireStrings(*body, "paragraphs", 4000),
                                  .policyUrl = optionalString(*body, "policy_url", 1000),
                                  .version = {}};
  applyFilteringChange([&] { filtering_.saveNotice(notice, author(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("policy_version", storage_.currentPolicy().version);
  answer.set("version", common::noticeVersion(notice));
  sendJson(request.response, 200, answer);
}

void ConsoleApi::listWorkers(Request& request, const AuthenticatedSession&) {
  Poco::JSON::Array::Ptr workers = new Poco::JSON::Array;
  // Never the PIN's hash: it is for the laptops, not for whoever can read the console.
  for (const auto& worker : storage_.listWorkers()) {
    Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
    json->set("id", worker.id);
    json->set("name", worker.name);
    json->set("created_at", common::formatTimestamp(worker.createdAt));
    json->set("created_by", worker.createdBy);
    workers->add(json);
  }
  Poco::JSON::Object answer;
  answer.set("policy_version", storage_.currentPolicy().version);
  answer.set("workers", workers);
  sendJson(request.response, 200, answer);
}

void ConsoleApi::addWorker(Request& request, const AuthenticatedSession& session) {
  const auto body = readJsonObject(request.http);
  const auto name = requireString(*body, "name", 200);
  const auto pin = requireString(*body, "pin", 100);
  std::int64_t id = 0;
  applyFilteringChange([&] { id = filtering_.addWorker(name, pin, author(*body, session)); });
  Poco::JSON::Object answer;
  answer.set("id", id);
  answer.set("policy_version", storage_.currentPolicy().version);
  sendJson(request.response, 201, answer);
}

void ConsoleApi::deleteWorker(Request& request, const AuthenticatedSession& session) {
  const auto id = idParameter(request);
  const auto body = readJsonObject(request.http);
  applyFilteringChange([&] { filtering_.deleteWorker(id, author(*body, session)); });
  sendPolicyVersion(request, 200);
}

void ConsoleApi::audit(const AuthenticatedSession& session, const std::string& action,
                       const std::string& target, const std::string& detail) {
  storage_.recordAudit({common::nowUtc(), session.user.username, action, target, detail});
}

}  // namespace clubsafe::collector
