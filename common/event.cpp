#include "common/event.hpp"

#include <array>

namespace clubsafe::common {
namespace {

using K = FieldKind;

// What a laptop's figures may be. They are hostile input like the rest of a batch, and the
// collector sums them in SQL (whose SUM stops with an error on an overflow, breaking every read
// of that hour) and splits an app interval into its hours (one of 10^9 seconds made 277,000 rows
// and hung the batch), so a figure no real agent sends is refused with its batch. Bounds kept
// here once, where the explorer's events and the dashboard's rollups both come from, so the two
// always agree.
constexpr IntegerRange kCentury{0, kMostSecondsCountedBack};
constexpr IntegerRange kQueueDepth{0, 1'000'000'000};
// The agent writes an interval of 10 minutes at most (apps.longest_interval).
constexpr IntegerRange kAppIntervalSeconds{0, 24 * 3600};
// More than 16,000 lookups of one site a second is more than a laptop makes.
constexpr IntegerRange kLookupsOfASiteInAMinute{1, 1'000'000};
// The phrase libraries' 1 to 5 (docs/PHRASES.md): the DSL's queue ranks alerts by it, and a forged
// 2^32 + 1 ranked above every real alert.
constexpr IntegerRange kSeverity{1, 5};
constexpr IntegerRange kEventsCounted{0, 1'000'000'000};
// Reports a rate limit folded into one event (agent/notices/report_limiter.hpp).
constexpr IntegerRange kReportsFolded{1, 1'000'000};

constexpr std::array<PayloadField, 3> kHeartbeat{{
    {"uptime_seconds", K::Integer, true, kCentury},
    {"queue_depth", K::Integer, true, kQueueDepth},
    {"agent_version", K::String, true},
}};
constexpr std::array<PayloadField, 1> kAppList{{
    {"applications", K::StringArray, true},
}};
constexpr std::array<PayloadField, 4> kAppUsage{{
    {"application", K::String, true},
    {"seconds", K::Integer, true, kAppIntervalSeconds},
    {"started", K::String, true},
    {"title", K::String, false},
}};
constexpr std::array<PayloadField, 5> kDnsDecision{{
    {"domain", K::String, true},
    {"action", K::String, true},
    {"category", K::String, false},
    {"minute", K::String, true},
    {"count", K::Integer, true, kLookupsOfASiteInAMinute},
}};
constexpr std::array<PayloadField, 4> kBrowserVisit{{
    {"browser", K::String, true},
    {"url", K::String, true},
    {"title", K::String, false},
    {"visited", K::String, true},
}};
constexpr std::array<PayloadField, 3> kSearchTerm{{
    {"engine", K::String, true},
    {"terms", K::String, true},
    {"searched", K::String, true},
}};
constexpr std::array<PayloadField, 2> kSession{{
    {"action", K::String, true},
    {"session_id", K::String, false},
}};
constexpr std::array<PayloadField, 2> kMemberSignIn{{
    {"age_band", K::String, true},
    {"method", K::String, true},
}};
constexpr std::array<PayloadField, 1> kMemberSignOut{{
    {"reason", K::String, false},
}};
// rule, matched, why and help_seeking explain the alert (docs/PHRASES.md); agents before them
// send none, so they are optional.
constexpr std::array<PayloadField, 9> kSafeguardingAlert{{
    {"category", K::String, true},
    {"severity", K::Integer, true, kSeverity},
    {"phrase", K::String, true},
    {"context", K::String, true},
    {"source", K::String, true},
    {"rule", K::String, false},
    {"matched", K::String, false},
    {"why", K::String, false},
    {"help_seeking", K::Boolean, false},
}};
constexpr std::array<PayloadField, 2> kOutboxGap{{
    {"dropped", K::Integer, true, kEventsCounted},
    {"reason", K::String, true},
}};
constexpr std::array<PayloadField, 2> kTamper{{
    {"kind", K::String, true},
    {"detail", K::String, true},
}};
// `count`: how many of one account's events this one stands for when a rate limit folded them
// into one (agent/notices/report_limiter.hpp); absent for one.
constexpr std::array<PayloadField, 3> kNoticeAcknowledged{{
    {"acknowledged", K::Boolean, true},
    {"notice_version", K::String, true},
    {"count", K::Integer, false, kReportsFolded},
}};
constexpr std::array<PayloadField, 2> kBlockNotice{{
    {"domain", K::String, true},
    {"category", K::String, true},
}};
constexpr std::array<PayloadField, 4> kReviewRequest{{
    {"domain", K::String, true},
    {"category", K::String, true},
    {"message", K::String, false},
    {"count", K::Integer, false, kReportsFolded},
}};
constexpr std::array<PayloadField, 3> kWorryReport{{
    {"about", K::String, true},
    {"message", K::String, true},
    {"count", K::Integer, false, kReportsFolded},
}};
constexpr std::array<PayloadField, 5> kOverride{{
    {"scope", K::String, true},
    {"target", K::String, true},
    {"minutes", K::Integer, true},
    {"reason", K::String, true},
    {"worker", K::String, true},
}};
constexpr std::array<PayloadField, 2> kFilterSelfTest{{
    {"passed", K::Boolean, true},
    {"failures", K::StringArray, true},
}};
// Events set aside in the outbox because the collector refused them as malformed; `reason`
// is the collector's answer, cut to 500 bytes by the agent.
constexpr std::array<PayloadField, 3> kRejected{{
    {"count", K::Integer, true, kEventsCounted},
    {"reason", K::String, true},
    {"sequences", K::StringArray, true},
}};

using P = Priority;
using E = EventType;
constexpr auto kHealth = RetentionClass::Health;
constexpr auto kUsage = RetentionClass::Usage;
constexpr auto kSafeguarding = RetentionClass::Safeguarding;

// Indexed by EventType: the order must match the enum.
constexpr std::array<EventTypeInfo, 19> kEventTypes{{
    {E::Heartbeat, "heartbeat", P::Low, true, kHealth, kHeartbeat},
    {E::AppList, "app_list", P::Low, true, kUsage, kAppList},
    {E::AppUsage, "app_usage", P::Low, true, kUsage, kAppUsage},
    {E::DnsDecision, "dns_decision", P::Low, true, kUsage, kDnsDecision},
    {E::BrowserVisit, "browser_visit", P::Normal, true, kUsage, kBrowserVisit},
    {E::SearchTerm, "search_term", P::Normal, true, kUsage, kSearchTerm},
    {E::Session, "session", P::Normal, false, kUsage, kSession},
    {E::MemberSignIn, "member_sign_in", P::Normal, false, kUsage, kMemberSignIn},
    {E::MemberSignOut, "member_sign_out", P::Normal, false, kUsage, kMemberSignOut},
    {E::SafeguardingAlert, "safeguarding_alert", P::Critical, false, kSafeguarding,
     kSafeguardingAlert},
    {E::OutboxGap, "outbox_gap", P::High, false, kSafeguarding, kOutboxGap},
    {E::Tamper, "tamper", P::High, false, kSafeguarding, kTamper},
    {E::NoticeAcknowledged, "notice_acknowledged", P::Normal, false, kUsage, kNoticeAcknowledged},
    {E::BlockNotice, "block_notice", P::Normal, false, kUsage, kBlockNotice},
    {E::ReviewRequest, "review_request", P::High, false, kSafeguarding, kReviewRequest},
    {E::WorryReport, "worry_report", P::Critical, false, kSafeguarding, kWorryReport},
    {E::Override, "override", P::High, false, kSafeguarding, kOverride},
    {E::FilterSelfTest, "filter_self_test", P::High, false, kUsage, kFilterSelfTest},
    {E::Rejected, "rejected", P::High, false, kSafeguarding, kRejected},
}};

constexpr bool tableFollowsEnumOrder() {
  for (std::size_t i = 0; i < kEventTypes.size(); ++i) {
    if (static_cast<std::size_t>(kEventTypes[i].type) != i) return false;
  }
  return true;
}
static_assert(tableFollowsEnumOrder(), "kEventTypes must list the types in EventType order");

}  // namespace

const EventTypeInfo& eventTypeInfo(EventType type) {
  return kEventTypes.at(static_cast<std::size_t>(type));
}

std::optional<EventType> eventTypeFromName(std::string_view name) {
  for (const auto& info : kEventTypes) {
    if (info.name == name) return info.type;
  }
  return std::nullopt;
}

std::span<const EventTypeInfo> allEventTypes() {
  return kEventTypes;
}

}  // namespace clubsafe::common
