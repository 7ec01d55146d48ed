#include "collector/storage/sqlite_review_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_filtering_store.hpp"
#include "collector/storage/sqlite_names.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "collector/storage/stored_event.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

constexpr std::string_view kAllow = "allow";
constexpr std::string_view kKeepBlocked = "keep_blocked";

std::string namesText(const std::vector<std::string>& names) {
  Poco::JSON::Array array;
  for (const auto& name : names) array.add(name);
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

// A JSON array of strings as stored here or made by json_group_array; nulls (a device with no
// row) are left out.
std::vector<std::string> readNames(const std::string& stored) {
  std::vector<std::string> names;
  try {
    const auto parsed = Poco::JSON::Parser().parse(stored);
    for (const auto& name : *parsed.extract<Poco::JSON::Array::Ptr>()) {
      if (name.isString()) names.push_back(name.extract<std::string>());
    }
  } catch (const Poco::Exception&) {
    throw std::runtime_error(
        "The collector database holds a list of names it cannot read; the file may be damaged.");
  }
  return names;
}

using RequestRow = Tuple<Int64, std::string, std::string, std::string, std::string, std::string,
                         std::string, std::string, std::string, Int64>;

ReviewRequestRecord toRequest(const RequestRow& row) {
  return {.time = timeFromMilliseconds(row.get<0>()),
          .deviceId = row.get<1>(),
          .laptop = row.get<2>(),
          .osUser = row.get<3>(),
          .member = row.get<4>(),
          .profile = row.get<5>(),
          .domain = row.get<6>(),
          .category = row.get<7>(),
          .message = row.get<8>(),
          .count = row.get<9>()};
}

using BlockedRow = Tuple<std::string, std::string, Int64, std::string, std::string>;

BlockedSiteRecord toBlockedSite(const BlockedRow& row) {
  return {.domain = row.get<0>(),
          .categories = readNames(row.get<1>()),
          .attempts = row.get<2>(),
          .laptops = readNames(row.get<3>()),
          .profiles = readNames(row.get<4>())};
}

const std::string kSelectDecisions =
    "SELECT id, decided_at, decided_by, domain, category, verdict, scope, until, holds, reason, "
    "policy_version, ended_at FROM review_decisions";
using DecisionRow =
    Tuple<Int64, std::string, std::string, std::string, std::string, std::string, std::string,
          NullableText, std::string, std::string, Poco::Nullable<Int64>, NullableText>;

ReviewDecision toDecision(const DecisionRow& row) {
  const auto& version = row.get<10>();
  return {.id = row.get<0>(),
          .decidedAt = readTime(row.get<1>()),
          .decidedBy = row.get<2>(),
          .domain = row.get<3>(),
          .category = row.get<4>(),
          .verdict = row.get<5>() == kAllow ? ReviewVerdict::Allow : ReviewVerdict::KeepBlocked,
          .scope = row.get<6>(),
          .until = readOptionalTime(row.get<7>()),
          .holds = readNames(row.get<8>()),
          .reason = row.get<9>(),
          .policyVersion =
              version.isNull() ? std::nullopt : std::optional<std::int64_t>(version.value()),
          .endedAt = readOptionalTime(row.get<11>())};
}

// Writes what goes with a decision or its end; returns the policy version it made, if any.
std::optional<std::int64_t> writeEffect(Session& session, const ReviewEffect& effect) {
  if (const auto* audit = std::get_if<AuditEntry>(&effect)) {
    insertAuditEntry(session, *audit);
    return std::nullopt;
  }
  const auto& profiles = std::get<ProfilesChange>(effect);
  for (const auto& profile : profiles.profiles) writeFilterProfile(session, profile);
  insertPolicyChange(session, profiles.change);
  return profiles.change.document.version;
}

}  // namespace

std::vector<ReviewRequestRecord> SqliteReviewStore::reviewRequests(Timestamp from, Timestamp to,
                                                                   std::size_t limit) {
  return database_.read("read the review requests", [&](Session& session) {
    return convertAll(
        query<RequestRow>(
            session,
            "SELECT e.time, dn.name, COALESCE(d.name, dn.name), " + nameOf("e.os_user") + ", " +
                nameOf("e.member") + ", " + nameOf("e.profile") + ", " + nameOf("e.site") + ", " +
                nameOf("e.category") +
                ", COALESCE(json_extract(e.payload, '$.message'), ''), "
                "MAX(COALESCE(json_extract(e.payload, '$.count'), 1), 1) "
                "FROM events e JOIN rollup_names dn ON dn.id = e.device "
                "LEFT JOIN devices d ON d.id = dn.name "
                "WHERE e.type = ? AND e.time >= ? AND e.time < ? AND " +
                withAlias(kTypeIndexTerm, "e") + " ORDER BY e.time DESC LIMIT ?",
            storedTypeCode(common::EventType::ReviewRequest), storedMilliseconds(from),
            storedMilliseconds(to), static_cast<Int64>(limit)),
        toRequest);
  });
}

std::vector<BlockedSiteRecord> SqliteReviewStore::blockedSites(
    Timestamp from, Timestamp to, std::size_t limit, const std::vector<std::string>& alsoDomains) {
  // "(other names)" is the agent's count of names beyond its per-minute cap: no site.
  // The DNS decisions' minutes, not the times they were written, place them in the period.
  const std::string select =
      "SELECT s.name, json_group_array(DISTINCT " + nameOf("e.category") +
      "), SUM(e.amount), json_group_array(DISTINCT COALESCE(d.name, dn.name)), "
      "json_group_array(DISTINCT " +
      nameOf("e.profile") +
      ") "
      "FROM events e JOIN rollup_names s ON s.id = e.site "
      "JOIN rollup_names dn ON dn.id = e.device LEFT JOIN devices d ON d.id = dn.name "
      "WHERE e.type = ? AND e.moment >= ? AND e.moment < ? "
      "AND e.action = (SELECT id FROM rollup_names WHERE name = 'blocked') "
      "AND NOT EXISTS (SELECT 1 FROM rollup_names c WHERE c.id = e.category AND c.name = 'closed') "
      "AND s.name <> '(other names)' ";
  const auto dns = storedTypeCode(common::EventType::DnsDecision);
  return database_.read("read the most blocked sites", [&](Session& session) {
    auto sites =
        convertAll(query<BlockedRow>(session, select + "GROUP BY s.name ORDER BY 3 DESC, 1 LIMIT ?",
                                     dns, storedMilliseconds(from), storedMilliseconds(to),
                                     static_cast<Int64>(limit)),
                   toBlockedSite);
    for (const auto& domain : alsoDomains) {
      const bool listed =
          std::any_of(sites.begin(), sites.end(),
                      [&](const BlockedSiteRecord& site) { return site.domain == domain; });
      if (listed) continue;
      for (const auto& row :
           query<BlockedRow>(session, select + "AND s.name = ? GROUP BY s.name", dns,
                             storedMilliseconds(from), storedMilliseconds(to), domain)) {
        sites.push_back(toBlockedSite(row));
      }
    }
    return sites;
  });
}

std::vector<ReviewDecision> SqliteReviewStore::listDecisions(std::size_t limit) {
  return database_.read("read the review decisions", [&](Session& session) {
    return convertAll(query<DecisionRow>(session, kSelectDecisions + " ORDER BY id DESC LIMIT ?",
                                         static_cast<Int64>(limit)),
                      toDecision);
  });
}

std::map<std::string, Timestamp> SqliteReviewStore::latestDecisions() {
  return database_.read("read the review decisions", [&](Session& session) {
    std::map<std::string, Timestamp> latest;
    for (const auto& row : query<Tuple<std::string, std::string>>(
             session, "SELECT domain, MAX(decided_at) FROM review_decisions GROUP BY domain")) {
      latest.emplace(row.get<0>(), readTime(row.get<1>()));
    }
    return latest;
  });
}

std::vector<ReviewDecision> SqliteReviewStore::activeAllows() {
  return database_.read("read the allows in force", [&](Session& session) {
    return convertAll(query<DecisionRow>(
                          session, kSelectDecisions +
                                       " WHERE verdict = 'allow' AND ended_at IS NULL ORDER BY id"),
                      toDecision);
  });
}

std::int64_t SqliteReviewStore::recordDecision(const ReviewDecision& decision,
                                               const ReviewEffect& effect) {
  const auto verdict = decision.verdict == ReviewVerdict::Allow ? kAllow : kKeepBlocked;
  return database_.write("store a review decision", [&](Session& session) {
    const auto version = writeEffect(session, effect);
    return query<Int64>(session,
                        "INSERT INTO review_decisions (decided_at, decided_by, domain, category, "
                        "verdict, scope, until, holds, reason, policy_version) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        text(decision.decidedAt), decision.decidedBy, decision.domain,
                        decision.category, std::string(verdict), decision.scope,
                        nullableText(decision.until), namesText(decision.holds), decision.reason,
                        version ? Poco::Nullable<Int64>(*version) : Poco::Nullable<Int64>())
        .at(0);
  });
}

void SqliteReviewStore::endAllows(const std::vector<std::int64_t>& ids, Timestamp endedAt,
                                  const ReviewEffect& effect) {
  database_.write("end timed allows", [&](Session& session) {
    for (const auto id : ids) {
      if (execute(session,
                  "UPDATE review_decisions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                  text(endedAt), static_cast<Int64>(id)) == 0) {
        throw std::runtime_error("The allow " + std::to_string(id) +
                                 " was ended by someone else at the same moment.");
      }
    }
    (void)writeEffect(session, effect);
  });
}

}  // namespace clubsafe::collector
