#include "common/policy.hpp"

#include "common/crypto.hpp"
#include "common/domain_index/domain_name.hpp"
#include "common/json_fields.hpp"
#include "common/password_hash.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/UTF8String.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_set>

namespace clubsafe::common {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The document nests four deep; anything deeper is not a policy.
constexpr std::size_t kMaxDepth = 8;

constexpr std::array<std::string_view, kDaysPerWeek> kDayNames{"mon", "tue", "wed", "thu",
                                                               "fri", "sat", "sun"};

[[noreturn]] void broken(const std::string& field, const std::string& problem) {
  throw PolicyError(field, problem);
}

std::string at(const std::string& where, std::size_t index) {
  return where + "[" + std::to_string(index) + "]";
}

using json::expectOnlyKeys;
using json::field;
using json::integer;
using json::isArray;
using json::isObject;

// Lengths are the validators' to check, with messages of their own.
std::string string(const Var& value, const std::string& where) {
  return json::string(value, where, std::numeric_limits<std::size_t>::max());
}

std::vector<std::string> strings(const Var& value, const std::string& where) {
  if (!isArray(value)) broken(where, "expected a list of strings");
  const auto& items = *value.extract<Array::Ptr>();
  std::vector<std::string> result;
  result.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    result.push_back(string(items.get(static_cast<unsigned>(i)), at(where, i)));
  }
  return result;
}

Object::Ptr object(const Var& value, const std::string& where) {
  if (!isObject(value)) broken(where, "expected an object");
  return value.extract<Object::Ptr>();
}

bool hasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// [a-z0-9_-], 1 to `maxLength` characters: ids, age bands and category names.
void checkToken(const std::string& text, std::size_t maxLength, const std::string& where) {
  if (text.empty() || text.size() > maxLength) {
    broken(where, "must be 1 to " + std::to_string(maxLength) + " characters");
  }
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  if (!std::all_of(text.begin(), text.end(), allowed)) {
    broken(where, "\"" + text + "\" may only hold a-z, 0-9, '_' and '-'");
  }
}

void checkProfileName(const std::string& name, const std::string& where) {
  // Characters, not bytes: the parser has already refused text that is not UTF-8.
  const auto characters = static_cast<std::size_t>(
      std::count_if(name.begin(), name.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  if (characters == 0 || characters > kMaxProfileNameLength) {
    broken(where, "must be 1 to " + std::to_string(kMaxProfileNameLength) + " characters");
  }
  if (hasControlCharacter(name)) broken(where, "must not hold control characters");
}

// Text people read on the laptop: 1 to `maxBytes` bytes, on one line.
void checkText(const std::string& text, std::size_t maxBytes, const std::string& where) {
  if (text.empty() || text.size() > maxBytes) {
    broken(where, "must be 1 to " + std::to_string(maxBytes) +
                      " characters long (an accented letter or a symbol counts as 2 to 4)");
  }
  if (hasControlCharacter(text)) broken(where, "must not hold line breaks or control characters");
}

// Empty, or an http or https address with a host, in printable ASCII a link can hold.
void checkPolicyUrl(const std::string& url, const std::string& where) {
  if (url.empty()) return;
  if (url.size() > kMaxPolicyUrlLength) {
    broken(where, "must be at most " + std::to_string(kMaxPolicyUrlLength) + " characters long");
  }
  const std::string_view text(url);
  std::string_view rest;
  for (const std::string_view scheme : {"https://", "http://"}) {
    if (text.starts_with(scheme)) rest = text.substr(scheme.size());
  }
  const auto linkable = [](char c) {
    return c > 0x20 && c < 0x7f &&
           std::string_view("\"<>\\^`{|}").find(c) == std::string_view::npos;
  };
  if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#' ||
      !std::all_of(rest.begin(), rest.end(), linkable)) {
    broken(where, "\"" + url + "\" is not a web address like https://example.org/policy.pdf");
  }
}

void checkDomain(const std::string& domain, const std::string& where) {
  const auto normalised = domain_index::NormalisedName::from(domain);
  if (!normalised.ok()) {
    broken(where, "\"" + domain + "\" is not a domain name (" +
                      std::string(domain_index::describe(normalised.problem())) + ")");
  }
  if (normalised.view() != domain) {
    broken(where, "\"" + domain + "\" must be written \"" + std::string(normalised.view()) + "\"");
  }
}

void checkDomains(const std::vector<std::string>& domains, const std::string& where) {
  if (domains.size() > kMaxDomainsPerList) {
    broken(where, "more than " + std::to_string(kMaxDomainsPerList) + " domains");
  }
  for (std::size_t i = 0; i < domains.size(); ++i) checkDomain(domains[i], at(where, i));
}

void checkTestNames(const std::map<std::string, std::string>& testNames) {
  if (testNames.size() > kMaxTestNames) {
    broken("index.test_names", "more than " + std::to_string(kMaxTestNames) + " test names");
  }
  for (const auto& [category, domain] : testNames) {
    checkToken(category, kMaxCategoryNameLength, "index.test_names");
    checkDomain(domain, "index.test_names." + category);
  }
}

bool isLowerHex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "HH:MM", 00:00 to 23:59, as minutes after midnight.
int parseClock(const std::string& text, const std::string& where) {
  const auto digit = [&](std::size_t i) {
    if (text[i] < '0' || text[i] > '9') broken(where, "\"" + text + "\" is not a time like 16:30");
    return text[i] - '0';
  };
  if (text.size() != 5 || text[2] != ':')
    broken(where, "\"" + text + "\" is not a time like 16:30");
  const int hours = digit(0) * 10 + digit(1);
  const int minutes = digit(3) * 10 + digit(4);
  if (hours > 23 || minutes > 59) broken(where, "\"" + text + "\" is not a time of day");
  return hours * 60 + minutes;
}

std::string formatClock(int minutes) {
  std::string text = "00:00";
  text[0] = static_cast<char>('0' + minutes / 600);
  text[1] = static_cast<char>('0' + minutes / 60 % 10);
  text[3] = static_cast<char>('0' + minutes % 60 / 10);
  text[4] = static_cast<char>('0' + minutes % 10);
  return text;
}

OpeningHours parseOpeningHours(const Var& value, const std::string& where) {
  const auto entry = object(value, where);
  expectOnlyKeys(*entry, {"days", "from", "to"}, where);
  OpeningHours hours;
  const auto days = strings(field(*entry, "days", where), where + ".days");
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto found = std::find(kDayNames.begin(), kDayNames.end(), days[i]);
    if (found == kDayNames.end()) {
      broken(at(where + ".days", i),
             "\"" + days[i] + "\" is not one of mon, tue, wed, thu, fri, sat, sun");
    }
    const auto day = static_cast<std::size_t>(found - kDayNames.begin());
    if (hours.days.test(day)) broken(at(where + ".days", i), "\"" + days[i] + "\" is repeated");
    hours.days.set(day);
  }
  hours.fromMinute =
      parseClock(string(field(*entry, "from", where), where + ".from"), where + ".from");
  hours.toMinute = parseClock(string(field(*entry, "to", where), where + ".to"), where + ".to");
  return hours;
}

void checkOpeningHours(const OpeningHours& hours, const std::string& where) {
  if (hours.days.none()) broken(where + ".days", "must name at least one day");
  const auto isClock = [](int minutes) { return minutes >= 0 && minutes < 24 * 60; };
  if (!isClock(hours.fromMinute)) broken(where + ".from", "is not a time of day");
  if (!isClock(hours.toMinute)) broken(where + ".to", "is not a time of day");
  if (hours.fromMinute >= hours.toMinute) {
    broken(where + ".to", "must be later than \"from\" (" + formatClock(hours.fromMinute) +
                              "); a span over midnight is written as two entries");
  }
}

void checkProfileCount(std::size_t count) {
  if (count == 0 || count > kMaxProfiles) {
    broken("profiles", "must hold 1 to " + std::to_string(kMaxProfiles) + " profiles");
  }
}

// The policy's own error for a field check's, naming the same field.
template <typename Read>
auto translatingFieldErrors(Read read) {
  try {
    return read();
  } catch (const json::FieldError& error) {
    throw PolicyError(error.where(), error.problem());
  }
}

// The fields and their types; the rules are validateProfile's.
Profile readProfile(const Object& entry, const std::string& where) {
  expectOnlyKeys(entry,
                 {"id", "name", "age_bands", "blocked_categories", "allow", "block", "safe_search",
                  "schedule"},
                 where);
  Profile profile;
  profile.id = string(field(entry, "id", where), where + ".id");
  profile.name = string(field(entry, "name", where), where + ".name");
  profile.ageBands = strings(field(entry, "age_bands", where), where + ".age_bands");
  profile.blockedCategories =
      strings(field(entry, "blocked_categories", where), where + ".blocked_categories");
  profile.allow = strings(field(entry, "allow", where), where + ".allow");
  profile.block = strings(field(entry, "block", where), where + ".block");
  const auto level = string(field(entry, "safe_search", where), where + ".safe_search");
  const auto parsed = parseSafeSearchLevel(level);
  if (!parsed) broken(where + ".safe_search", "\"" + level + "\" is not strict, moderate or off");
  profile.safeSearch = *parsed;
  const auto schedule = field(entry, "schedule", where);
  if (!isArray(schedule)) broken(where + ".schedule", "expected a list of opening hours");
  const auto& items = *schedule.extract<Array::Ptr>();
  for (std::size_t i = 0; i < items.size(); ++i) {
    profile.schedule.push_back(
        parseOpeningHours(items.get(static_cast<unsigned>(i)), at(where + ".schedule", i)));
  }
  return profile;
}

NoticeText readNotice(const Var& value) {
  const auto entry = object(value, "notice");
  expectOnlyKeys(*entry, {"club_name", "paragraphs", "policy_url", "version"}, "notice");
  NoticeText notice;
  notice.clubName = string(field(*entry, "club_name", "notice"), "notice.club_name");
  const auto paragraphs = field(*entry, "paragraphs", "notice");
  // Counted before reading, so that a huge list is refused without reading it all.
  if (isArray(paragraphs) && paragraphs.extract<Array::Ptr>()->size() > kMaxNoticeParagraphs) {
    broken("notice.paragraphs",
           "must hold 1 to " + std::to_string(kMaxNoticeParagraphs) + " paragraphs");
  }
  notice.paragraphs = strings(paragraphs, "notice.paragraphs");
  notice.policyUrl = string(field(*entry, "policy_url", "notice"), "notice.policy_url");
  notice.version = string(field(*entry, "version", "notice"), "notice.version");
  return notice;
}

std::vector<Worker> readWorkers(const Var& value) {
  if (!isArray(value)) broken("workers", "expected a list of workers");
  const auto& items = *value.extract<Array::Ptr>();
  if (items.size() > kMaxWorkers) {
    broken("workers", "more than " + std::to_string(kMaxWorkers) + " workers");
  }
  std::vector<Worker> workers;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto where = at("workers", i);
    const auto entry = object(items.get(static_cast<unsigned>(i)), where);
    expectOnlyKeys(*entry, {"name", "pin_hash"}, where);
    workers.push_back({string(field(*entry, "name", where), where + ".name"),
                       string(field(*entry, "pin_hash", where), where + ".pin_hash")});
  }
  return workers;
}

std::vector<Member> readMembers(const Var& value) {
  if (!isArray(value)) broken("members", "expected a list of members");
  const auto& items = *value.extract<Array::Ptr>();
  if (items.size() > kMaxMembers) {
    broken("members", "more than " + std::to_string(kMaxMembers) + " members");
  }
  std::vector<Member> members;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto where = at("members", i);
    const auto entry = object(items.get(static_cast<unsigned>(i)), where);
    expectOnlyKeys(*entry, {"name", "age_band"}, where);
    members.push_back({string(field(*entry, "name", where), where + ".name"),
                       string(field(*entry, "age_band", where), where + ".age_band")});
  }
  return members;
}

// Each member's name once (as memberKey sees it), with a band a profile gives, never staff's.
void validateMembers(const Policy& policy) {
  if (policy.members.size() > kMaxMembers) {
    broken("members", "more than " + std::to_string(kMaxMembers) + " members");
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < policy.members.size(); ++i) {
    const auto& member = policy.members[i];
    const auto where = at("members", i);
    validateMember(member, where);
    if (!keys.insert(memberKey(member.name)).second) {
      broken(where + ".name", "\"" + member.name + "\" is the name of an earlier member");
    }
    if (member.ageBand == kStaffAgeBand || policy.profileForAgeBand(member.ageBand) == nullptr) {
      broken(where + ".age_band",
             "\"" + member.ageBand + "\" is not an age band of a profile members can have");
    }
  }
}

Policy policyFrom(const Object& root) {
  const auto format = integer(field(root, "format", "document"), "format");
  if (format != kPolicyFormat) {
    broken("format", "format " + std::to_string(format) +
                         " is not known; this program reads format " +
                         std::to_string(kPolicyFormat));
  }
  expectOnlyKeys(root,
                 {"format", "policy_version", "index", "default_profile", "profiles", "notice",
                  "workers", "members"},
                 "document");
  Policy policy;
  policy.version = integer(field(root, "policy_version", "document"), "policy_version");
  if (const auto index = field(root, "index", "document"); !index.isEmpty()) {
    const auto entry = object(index, "index");
    expectOnlyKeys(*entry, {"sha256", "bytes", "test_names"}, "index");
    const auto bytes = integer(field(*entry, "bytes", "index"), "index.bytes");
    if (bytes < 1) broken("index.bytes", "must be 1 or more");
    policy.index = PolicyIndex{string(field(*entry, "sha256", "index"), "index.sha256"),
                               static_cast<std::uint64_t>(bytes),
                               {}};
    // Optional: documents from collectors older than the self-test have none.
    if (entry->has("test_names")) {
      const auto names = object(entry->get("test_names"), "index.test_names");
      // Counted before reading, so that a huge object is refused without reading it all.
      if (names->size() > kMaxTestNames) {
        broken("index.test_names", "more than " + std::to_string(kMaxTestNames) + " test names");
      }
      for (const auto& [category, domain] : *names) {
        policy.index->testNames[category] = string(domain, "index.test_names");
      }
    }
  }
  policy.defaultProfile = string(field(root, "default_profile", "document"), "default_profile");
  const auto profiles = field(root, "profiles", "document");
  if (!isArray(profiles)) broken("profiles", "expected a list of profiles");
  const auto& items = *profiles.extract<Array::Ptr>();
  // Counted before reading, so that a huge list is refused without parsing it all.
  checkProfileCount(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    policy.profiles.push_back(readProfile(
        *object(items.get(static_cast<unsigned>(i)), at("profiles", i)), at("profiles", i)));
  }
  // Both optional: documents from collectors older than the notices have neither.
  if (root.has("notice")) policy.notice = readNotice(root.get("notice"));
  if (root.has("workers")) policy.workers = readWorkers(root.get("workers"));
  if (root.has("members")) policy.members = readMembers(root.get("members"));
  validatePolicy(policy);
  return policy;
}

}  // namespace

std::optional<SafeSearchLevel> parseSafeSearchLevel(std::string_view text) {
  if (text == "strict") return SafeSearchLevel::Strict;
  if (text == "moderate") return SafeSearchLevel::Moderate;
  if (text == "off") return SafeSearchLevel::Off;
  return std::nullopt;
}

std::string_view safeSearchLevelName(SafeSearchLevel level) {
  switch (level) {
    case SafeSearchLevel::Strict:
      return "strict";
    case SafeSearchLevel::Moderate:
      return "moderate";
    case SafeSearchLevel::Off:
      return "off";
  }
  return "strict";
}

std::string_view dayName(std::size_t mondayIsZero) {
  return kDayNames.at(mondayIsZero);
}

const Profile* Policy::findProfile(std::string_view id) const {
  const auto found = std::find_if(profiles.begin(), profiles.end(),
                                  [id](const Profile& profile) { return profile.id == id; });
  return found == profiles.end() ? nullptr : &*found;
}

const Profile* Policy::profileForAgeBand(std::string_view ageBand) const {
  for (const auto& profile : profiles) {
    if (std::find(profile.ageBands.begin(), profile.ageBands.end(), ageBand) !=
        profile.ageBands.end()) {
      return &profile;
    }
  }
  return nullptr;
}

Profile parseProfile(const Object& entry, const std::string& where) {
  auto profile = translatingFieldErrors([&] { return readProfile(entry, where); });
  validateProfile(profile, where);
  return profile;
}

Profile parseProfile(std::string_view json, const std::string& where) {
  return parseProfile(
      *translatingFieldErrors([&] { return object(json::parse(json, kMaxDepth), where); }), where);
}

void validateProfile(const Profile& profile, const std::string& where) {
  checkToken(profile.id, kMaxProfileIdLength, where + ".id");
  checkProfileName(profile.name, where + ".name");
  for (std::size_t i = 0; i < profile.ageBands.size(); ++i) {
    checkToken(profile.ageBands[i], kMaxAgeBandLength, at(where + ".age_bands", i));
  }
  for (std::size_t i = 0; i < profile.blockedCategories.size(); ++i) {
    checkToken(profile.blockedCategories[i], kMaxCategoryNameLength,
               at(where + ".blocked_categories", i));
  }
  checkDomains(profile.allow, where + ".allow");
  checkDomains(profile.block, where + ".block");
  for (std::size_t i = 0; i < profile.schedule.size(); ++i) {
    checkOpeningHours(profile.schedule[i], at(where + ".schedule", i));
  }
}

void validatePolicy(const Policy& policy) {
  if (policy.version < 1) broken("policy_version", "must be 1 or more");
  if (policy.index) {
    if (policy.index->sha256.size() != 64 || !isLowerHex(policy.index->sha256)) {
      broken("index.sha256", "expected 64 lower-case hexadecimal digits");
    }
    if (policy.index->bytes < 1) broken("index.bytes", "must be 1 or more");
    checkTestNames(policy.index->testNames);
  }
  checkProfileCount(policy.profiles.size());
  std::unordered_set<std::string_view> ids;
  std::unordered_set<std::string_view> bands;
  for (std::size_t i = 0; i < policy.profiles.size(); ++i) {
    const auto& profile = policy.profiles[i];
    const auto where = at("profiles", i);
    validateProfile(profile, where);
    if (!ids.insert(profile.id).second) {
      broken(where + ".id", "\"" + profile.id + "\" is the id of an earlier profile");
    }
    for (std::size_t b = 0; b < profile.ageBands.size(); ++b) {
      if (!bands.insert(profile.ageBands[b]).second) {
        broken(at(where + ".age_bands", b),
               "age band \"" + profile.ageBands[b] + "\" is already given to a profile");
      }
    }
  }
  if (policy.findProfile(policy.defaultProfile) == nullptr) {
    broken("default_profile", "\"" + policy.defaultProfile + "\" is not the id of a profile");
  }
  if (policy.notice) validateNotice(*policy.notice);
  if (policy.workers.size() > kMaxWorkers) {
    broken("workers", "more than " + std::to_string(kMaxWorkers) + " workers");
  }
  std::unordered_set<std::string_view> names;
  for (std::size_t i = 0; i < policy.workers.size(); ++i) {
    const auto& worker = policy.workers[i];
    validateWorker(worker, at("workers", i));
    if (!names.insert(worker.name).second) {
      broken(at("workers", i) + ".name",
             "\"" + worker.name + "\" is the name of an earlier worker");
    }
  }
  validateMembers(policy);
}

void validateNotice(const NoticeText& notice, const std::string& where) {
  checkText(notice.clubName, kMaxClubNameLength, where + ".club_name");
  if (notice.paragraphs.empty() || notice.paragraphs.size() > kMaxNoticeParagraphs) {
    broken(where + ".paragraphs",
           "must hold 1 to " + std::to_string(kMaxNoticeParagraphs) + " paragraphs");
  }
  for (std::size_t i = 0; i < notice.paragraphs.size(); ++i) {
    checkText(notice.paragraphs[i], kMaxNoticeParagraphLength, at(where + ".paragraphs", i));
  }
  checkPolicyUrl(notice.policyUrl, where + ".policy_url");
  checkText(notice.version, kMaxNoticeVersionLength, where + ".version");
}

std::uint32_t ageBandStart(std::string_view band) {
  std::uint32_t age = 0;
  const auto [end, error] = std::from_chars(band.data(), band.data() + band.size(), age);
  return error == std::errc() && end != band.data() ? age
                                                    : std::numeric_limits<std::uint32_t>::max();
}

std::vector<std::string> memberAgeBands(const std::vector<Profile>& profiles) {
  std::set<std::string> bands;
  for (const auto& profile : profiles) {
    for (const auto& band : profile.ageBands) {
      if (band != kStaffAgeBand) bands.insert(band);
    }
  }
  std::vector<std::string> ordered(bands.begin(), bands.end());
  std::ranges::stable_sort(ordered, {}, [](const std::string& band) { return ageBandStart(band); });
  return ordered;
}

void validateMember(const Member& member, const std::string& where) {
  checkText(member.name, kMaxMemberNameLength, where + ".name");
}

std::string memberKey(std::string_view name) {
  std::string spaced;
  for (const char c : name) {
    const bool space = c == ' ' || c == '\t';
    if (space && (spaced.empty() || spaced.back() == ' ')) continue;
    spaced += space ? ' ' : c;
  }
  if (!spaced.empty() && spaced.back() == ' ') spaced.pop_back();
  return Poco::UTF8::toLower(spaced);
}

void validateWorker(const Worker& worker, const std::string& where) {
  checkText(worker.name, kMaxWorkerNameLength, where + ".name");
  if (!isPasswordHash(worker.pinHash)) {
    broken(where + ".pin_hash", "is not a PIN hash this program can check");
  }
}

std::string noticeVersion(const NoticeText& notice) {
  auto text = noticeToJson(notice);
  text->remove("version");
  std::ostringstream out;
  text->stringify(out);
  return sha256Hex(out.str()).substr(0, 16);
}

Policy parsePolicy(std::string_view json) {
  return translatingFieldErrors(
      [&] { return policyFrom(*object(json::parse(json, kMaxDepth), "document")); });
}

std::optional<Policy> parsePublishedPolicy(std::string_view json) {
  return translatingFieldErrors([&]() -> std::optional<Policy> {
    const auto root = object(json::parse(json, kMaxDepth), "document");
    if (!root->has("format")) return std::nullopt;
    return policyFrom(*root);
  });
}

Object::Ptr profileToJson(const Profile& profile) {
  const auto list = [](const std::vector<std::string>& items) {
    Array::Ptr array = new Array;
    for (const auto& item : items) array->add(item);
    return array;
  };
  Object::Ptr json = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("id", profile.id);
  json->set("name", profile.name);
  json->set("age_bands", list(profile.ageBands));
  json->set("blocked_categories", list(profile.blockedCategories));
  json->set("allow", list(profile.allow));
  json->set("block", list(profile.block));
  json->set("safe_search", std::string(safeSearchLevelName(profile.safeSearch)));
  Array::Ptr schedule = new Array;
  for (const auto& hours : profile.schedule) {
    Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::vector<std::string> days;
    for (std::size_t day = 0; day < kDaysPerWeek; ++day) {
      if (hours.days.test(day)) days.emplace_back(kDayNames[day]);
    }
    entry->set("days", list(days));
    entry->set("from", formatClock(hours.fromMinute));
    entry->set("to", formatClock(hours.toMinute));
    schedule->add(entry);
  }
  json->set("schedule", schedule);
  return json;
}

Object::Ptr noticeToJson(const NoticeText& notice) {
  Object::Ptr json = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("club_name", notice.clubName);
  Array::Ptr paragraphs = new Array;
  for (const auto& paragraph : notice.paragraphs) paragraphs->add(paragraph);
  json->set("paragraphs", paragraphs);
  json->set("policy_url", notice.policyUrl);
  json->set("version", notice.version);
  return json;
}

std::string serialisePolicy(const Policy& policy) {
  Object json(Poco::JSON_PRESERVE_KEY_ORDER);
  json.set("format", kPolicyFormat);
  json.set("policy_version", policy.version);
  if (policy.index) {
    Object::Ptr index = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    index->set("sha256", policy.index->sha256);
    index->set("bytes", policy.index->bytes);
    Object::Ptr testNames = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [category, domain] : policy.index->testNames) testNames->set(category, domain);
    index->set("test_names", testNames);
    json.set("index", index);
  } else {
    json.set("index", Var());
  }
  json.set("default_profile", policy.defaultProfile);
  Array::Ptr profiles = new Array;
  for (const auto& profile : policy.profiles) profiles->add(profileToJson(profile));
  json.set("profiles", profiles);
  // Left out when absent or empty, so a policy without them is the document it always was.
  if (policy.notice) json.set("notice", noticeToJson(*policy.notice));
  if (!policy.workers.empty()) {
    Array::Ptr workers = new Array;
    for (const auto& worker : policy.workers) {
      Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("name", worker.name);
      entry->set("pin_hash", worker.pinHash);
      workers->add(entry);
    }
    json.set("workers", workers);
  }
  if (!policy.members.empty()) {
    Array::Ptr members = new Array;
    for (const auto& member : policy.members) {
      Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("name", member.name);
      entry->set("age_band", member.ageBand);
      members->add(entry);
    }
    json.set("members", members);
  }
  std::ostringstream out;
  json.stringify(out);
  return out.str();
}

}  // namespace clubsafe::common
