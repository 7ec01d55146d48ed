#pragma once

#include <Poco/JSON/Object.h>

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// The policy document the collector publishes and the agent enforces (docs/POLICY.md, format 1):
// the model, a strict parser, a serialiser and the validator both sides share.
namespace clubsafe::common {

inline constexpr int kPolicyFormat = 1;

inline constexpr std::size_t kMaxProfiles = 50;
inline constexpr std::size_t kMaxProfileIdLength = 40;
inline constexpr std::size_t kMaxProfileNameLength = 100;
inline constexpr std::size_t kMaxAgeBandLength = 20;
inline constexpr std::size_t kMaxCategoryNameLength = 40;
inline constexpr std::size_t kMaxDomainsPerList = 10'000;
inline constexpr std::size_t kMaxTestNames = 500;
// The notice's and workers' limits are in bytes of UTF-8, as the notice protocol
// (common/notice_protocol.hpp) that carries them to the notice program counts them.
inline constexpr std::size_t kMaxClubNameLength = 100;
inline constexpr std::size_t kMaxNoticeParagraphs = 20;
inline constexpr std::size_t kMaxNoticeParagraphLength = 600;
inline constexpr std::size_t kMaxPolicyUrlLength = 300;
inline constexpr std::size_t kMaxNoticeVersionLength = 64;
inline constexpr std::size_t kMaxWorkers = 100;
inline constexpr std::size_t kMaxWorkerNameLength = 40;
inline constexpr std::size_t kMaxMembers = 2000;
inline constexpr std::size_t kMaxMemberNameLength = 40;

// Categories of illegal content: blocked for every profile, and no allow entry, unlock or review
// decision unblocks them. These are the names a club gives the lists it imports from the IWF
// (child sexual abuse material) and from the police's terrorism list (CTIRU). UT1 has no
// equivalent of either: its nearest, `dangerous_material` and `agressif`, are ordinary
// categories that a profile chooses to block.
inline constexpr std::array<std::string_view, 2> kAlwaysBlockedCategories{"iwf", "terrorism"};
[[nodiscard]] constexpr bool isAlwaysBlockedCategory(std::string_view category) {
  for (const auto name : kAlwaysBlockedCategories) {
    if (name == category) return true;
  }
  return false;
}

// A profile's safe-search level. Moderate differs from Strict only where an engine has a
// moderate host (YouTube); Off answers search engines as they are.
enum class SafeSearchLevel : std::uint8_t { Off, Moderate, Strict };

// The level named by "strict", "moderate" or "off"; nullopt for anything else.
[[nodiscard]] std::optional<SafeSearchLevel> parseSafeSearchLevel(std::string_view text);
[[nodiscard]] std::string_view safeSearchLevelName(SafeSearchLevel level);

// Days of the week in the order a schedule writes them; bit 0 of OpeningHours::days is Monday.
inline constexpr std::size_t kDaysPerWeek = 7;
[[nodiscard]] std::string_view dayName(std::size_t mondayIsZero);

// One entry of a schedule: open on `days` from `fromMinute` (inclusive) to `toMinute`
// (exclusive), minutes after local midnight.
struct OpeningHours {
  std::bitset<kDaysPerWeek> days;
  int fromMinute = 0;
  int toMinute = 0;

  bool operator==(const OpeningHours&) const = default;
};

struct Profile {
  std::string id;
  std::string name;
  std::vector<std::string> ageBands;
  std::vector<std::string> blockedCategories;
  std::vector<std::string> allow;
  std::vector<std::string> block;
  SafeSearchLevel safeSearch = SafeSearchLevel::Strict;
  std::vector<OpeningHours> schedule;  // empty: always open

  bool operator==(const Profile&) const = default;
};

struct PolicyIndex {
  std::string sha256;  // 64 lower-case hex digits
  std::uint64_t bytes = 0;
  // Category -> a domain the index blocks in that category, for the agent's filter self-test
  // (the index keeps names only as hashes). Optional in the document: empty when absent.
  std::map<std::string, std::string> testNames;

  bool operator==(const PolicyIndex&) const = default;
};

// The monitoring notice shown at every session start (SPEC N1), in the club's words.
struct NoticeText {
  std::string clubName;
  std::vector<std::string> paragraphs;
  std::string policyUrl;  // empty: the notice says to ask a youth worker for the policy
  std::string version;    // names this text in an acknowledgement; see noticeVersion

  bool operator==(const NoticeText&) const = default;
};

// A youth worker who can sign in as staff and unlock a site on a laptop (N2, F7).
struct Worker {
  std::string name;
  std::string pinHash;  // hashPassword's encoding (common/password_hash.hpp), never the PIN

  bool operator==(const Worker&) const = default;
};

// A young person on the club's register (issue 14): a sign-in with this first name or member
// code gets this age band; anyone else cannot choose a band looser than the default profile's.
struct Member {
  std::string name;  // a first name or a member code, as the young person types it
  std::string ageBand;

  bool operator==(const Member&) const = default;
};

// The age band a worker's PIN signs in with; never a member's, never chosen.
inline constexpr std::string_view kStaffAgeBand = "staff";

// The bands a member may have (choose when signing in, or be registered with), youngest first:
// every profile's but kStaffAgeBand.
[[nodiscard]] std::vector<std::string> memberAgeBands(const std::vector<Profile>& profiles);

// The age a band starts at ("8" of "8-12"); the largest number for a band that does not start
// with one, so that such bands sort last (youngest first) and count as the loosest.
[[nodiscard]] std::uint32_t ageBandStart(std::string_view band);

// What two ways of typing one name have in common: spaces trimmed and runs of them made one,
// letters lower-cased in any script. "  Amira  K " and "amira k" are the same member.
[[nodiscard]] std::string memberKey(std::string_view name);

struct Policy {
  std::int64_t version = 0;
  std::optional<PolicyIndex> index;  // none until the club imports a list
  std::string defaultProfile;
  std::vector<Profile> profiles;
  // Optional in the document (absent from those of older collectors): no notice, no workers.
  std::optional<NoticeText> notice;
  std::vector<Worker> workers;
  std::vector<Member> members;  // optional in the document, like workers

  [[nodiscard]] const Profile* findProfile(std::string_view id) const;
  // The profile that lists `ageBand`, or none.
  [[nodiscard]] const Profile* profileForAgeBand(std::string_view ageBand) const;

  bool operator==(const Policy&) const = default;
};

// A broken rule. `field()` is the path of the offending field ("profiles[1].schedule[0].from")
// and what() says "<field>: <problem>", for a log line or an HTTP 400.
class PolicyError : public std::runtime_error {
 public:
  PolicyError(std::string field, const std::string& problem)
      : std::runtime_error(field + ": " + problem), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Strict: any rule of docs/POLICY.md broken, a missing or unknown field or a wrong type throws
// PolicyError naming the first one. Nothing is returned half-read.
[[nodiscard]] Policy parsePolicy(std::string_view json);

// What an agent makes of the collector's answer: nullopt for an object without "format" (a
// collector that has no policy to publish yet), otherwise parsePolicy's result.
[[nodiscard]] std::optional<Policy> parsePublishedPolicy(std::string_view json);

// One profile object as it appears in "profiles", checked by the same rules; `where` prefixes
// the field paths of errors.
[[nodiscard]] Profile parseProfile(const Poco::JSON::Object& object,
                                   const std::string& where = "profile");
[[nodiscard]] Profile parseProfile(std::string_view json, const std::string& where = "profile");

// The rules on a model built some other way (the collector's rows). validateProfile checks one
// profile on its own; validatePolicy checks every profile and the rules between them (unique
// ids and age bands, the default profile exists).
void validateProfile(const Profile& profile, const std::string& where = "profile");
void validatePolicy(const Policy& policy);
// The notice's own rules (all but the version's value, which noticeVersion gives) and one
// worker's; validatePolicy also checks that worker names are unique.
void validateNotice(const NoticeText& notice, const std::string& where = "notice");
void validateWorker(const Worker& worker, const std::string& where = "worker");
// One member's own rules (the name); validatePolicy also checks that names are unique and that
// each band is one a profile gives.
void validateMember(const Member& member, const std::string& where = "member");

// The first 16 hex digits of the SHA-256 of the notice's text (club name, paragraphs, policy
// URL) as compact JSON in that order: the same words always give the same version, and any
// change gives another, so an acknowledgement names the text that was shown.
[[nodiscard]] std::string noticeVersion(const NoticeText& notice);

// The document, format 1; parsePolicy(serialisePolicy(p)) == p for every valid p.
[[nodiscard]] std::string serialisePolicy(const Policy& policy);
[[nodiscard]] Poco::JSON::Object::Ptr profileToJson(const Profile& profile);
[[nodiscard]] Poco::JSON::Object::Ptr noticeToJson(const NoticeText& notice);

}  // namespace clubsafe::common
