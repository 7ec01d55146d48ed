#include "collector/storage/sqlite_filtering_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <Poco/Data/LOB.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Tuple.h>

#include <sstream>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Tuple;
using Poco::Data::Session;

constexpr std::string_view kFirstPolicyBody = R"({"policy_version":1})";

std::string strongEtag(std::string_view body) {
  return '"' + common::sha256Hex(body) + '"';
}

using PolicyRow = Tuple<Int64, std::string, std::string, std::string, Int64>;

PolicyDocument toPolicy(const PolicyRow& row) {
  return {.version = row.get<0>(),
          .body = row.get<1>(),
          .etag = row.get<2>(),
          .indexSha256 = row.get<3>(),
          .indexBytes = row.get<4>()};
}

// Filter list texts are stored gzip-compressed: UT1's lists shrink to a third.
Poco::Data::BLOB compress(std::string_view text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflater.write(text.data(), static_cast<std::streamsize>(text.size()));
  deflater.close();
  const auto bytes = out.str();
  return {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
}

std::string decompress(const Poco::Data::BLOB& blob, std::size_t expectedBytes) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size()));
  Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string text;
  text.reserve(expectedBytes);
  char buffer[65536];
  while (inflater.read(buffer, sizeof buffer) || inflater.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(inflater.gcount()));
  }
  if (text.size() != expectedBytes) {
    throw std::runtime_error(
        "A filter list stored in the collector database is damaged; import it again.");
  }
  return text;
}

Poco::Dynamic::Var parseStoredJson(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(text);
  } catch (const Poco::Exception&) {
    throw std::runtime_error(
        "The collector database holds filter settings it cannot read; the "
        "file may be damaged.");
  }
}

std::string badLinesText(const std::map<std::string, std::int64_t>& bad) {
  Poco::JSON::Object object;
  for (const auto& [reason, count] : bad) object.set(reason, static_cast<Int64>(count));
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::map<std::string, std::int64_t> readBadLines(const std::string& stored) {
  const auto parsed = parseStoredJson(stored);
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw std::runtime_error(
        "The collector database holds a filter list report it cannot read; "
        "the file may be damaged.");
  }
  std::map<std::string, std::int64_t> bad;
  for (const auto& [reason, count] : *parsed.extract<Poco::JSON::Object::Ptr>()) {
    bad[reason] = count.convert<Int64>();
  }
  return bad;
}

std::string jsonText(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

const std::string kSelectFilterLists =
    "SELECT id, category, source, format, sha256, bytes, lines, names, ignored, unsupported, "
    "bad, imported_by, imported_at FROM filter_lists";
using FilterListRow = Tuple<Int64, std::string, std::string, std::string, std::string, Int64, Int64,
                            Int64, Int64, Int64, std::string, std::string, std::string>;

FilterListRecord toFilterList(const FilterListRow& row) {
  return {.id = row.get<0>(),
          .category = row.get<1>(),
          .source = row.get<2>(),
          .format = row.get<3>(),
          .sha256 = row.get<4>(),
          .bytes = row.get<5>(),
          .lines = row.get<6>(),
          .names = row.get<7>(),
          .ignored = row.get<8>(),
          .unsupported = row.get<9>(),
          .bad = readBadLines(row.get<10>()),
          .importedBy = row.get<11>(),
          .importedAt = readTime(row.get<12>())};
}

// A profile's list fields are stored as the JSON the policy document has them in; reading one
// back goes through the policy parser, so a damaged row is refused by the same rules.
using ProfileRow = Tuple<std::string, std::string, std::string, std::string, std::string,
                         std::string, std::string, std::string>;

common::Profile toProfile(const ProfileRow& row) {
  Poco::JSON::Object json;
  json.set("id", row.get<0>());
  json.set("name", row.get<1>());
  json.set("age_bands", parseStoredJson(row.get<2>()));
  json.set("blocked_categories", parseStoredJson(row.get<3>()));
  json.set("allow", parseStoredJson(row.get<4>()));
  json.set("block", parseStoredJson(row.get<5>()));
  json.set("safe_search", row.get<6>());
  json.set("schedule", parseStoredJson(row.get<7>()));
  try {
    return common::parseProfile(json, "stored profile " + row.get<0>());
  } catch (const common::PolicyError& error) {
    throw std::runtime_error("The collector database holds a filter profile it cannot use (" +
                             std::string(error.what()) + "); the file may be damaged.");
  }
}

// The notice's paragraphs are stored as a JSON array; reading it back goes through the policy's
// rules, as a profile's row does.
using NoticeRow = Tuple<std::string, std::string, std::string>;

common::NoticeText toNotice(const NoticeRow& row) {
  common::NoticeText notice{
      .clubName = row.get<0>(), .paragraphs = {}, .policyUrl = row.get<2>(), .version = {}};
  const auto paragraphs = parseStoredJson(row.get<1>());
  try {
    if (paragraphs.type() != typeid(Poco::JSON::Array::Ptr)) {
      throw common::PolicyError("stored notice.paragraphs", "expected a list");
    }
    for (const auto& paragraph : *paragraphs.extract<Poco::JSON::Array::Ptr>()) {
      if (!paragraph.isString()) {
        throw common::PolicyError("stored notice.paragraphs", "expected a list of strings");
      }
      notice.paragraphs.push_back(paragraph.extract<std::string>());
    }
    notice.version = common::noticeVersion(notice);
    common::validateNotice(notice, "stored notice");
  } catch (const common::PolicyError& error) {
    throw std::runtime_error("The collector database holds a monitoring notice it cannot use (" +
                             std::string(error.what()) + "); the file may be damaged.");
  }
  return notice;
}

const std::string kSelectWorkers =
    "SELECT id, name, pin_hash, created_at, created_by FROM worker_pins";
using WorkerRow = Tuple<Int64, std::string, std::string, std::string, std::string>;

WorkerRecord toWorker(const WorkerRow& row) {
  return {.id = row.get<0>(),
          .name = row.get<1>(),
          .pinHash = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .createdBy = row.get<4>()};
}

const std::string kSelectMembers = "SELECT id, name, age_band, created_at, created_by FROM members";
using MemberRow = Tuple<Int64, std::string, std::string, std::string, std::string>;

MemberRecord toMember(const MemberRow& row) {
  return {.id = row.get<0>(),
          .name = row.get<1>(),
          .ageBand = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .createdBy = row.get<4>()};
}

std::optional<PolicyDocument> selectNewestPolicy(Session& session) {
  return convertFirst(query<PolicyRow>(session,
                                       "SELECT version, body, etag, index_sha256, index_bytes "
                                       "FROM policy_documents ORDER BY version DESC LIMIT 1"),
                      toPolicy);
}

}  // namespace

void insertPolicyChange(Session& session, const PolicyChange& change) {
  const auto newest =
      query<Int64>(session, "SELECT COALESCE(MAX(version), 0) FROM policy_documents").at(0);
  if (change.document.version != newest + 1) {
    throw std::runtime_error(
        "The filtering was changed by someone else at the same moment. "
        "Reload and try again.");
  }
  const auto& document = change.document;
  execute(session,
          "INSERT INTO policy_documents (version, body, etag, created_at, index_sha256, "
          "index_bytes) VALUES (?, ?, ?, ?, ?, ?)",
          document.version, document.body, strongEtag(document.body), text(change.audit.time),
          document.indexSha256, static_cast<Int64>(document.indexBytes));
  insertAuditEntry(session, change.audit);
}

void writeFilterProfile(Session& session, const common::Profile& profile) {
  const auto json = common::profileToJson(profile);
  execute(session,
          "INSERT INTO filter_profiles (id, name, age_bands, blocked_categories, allow_list, "
          "block_list, safe_search, schedule) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET name = excluded.name, age_bands = excluded.age_bands, "
          "blocked_categories = excluded.blocked_categories, allow_list = excluded.allow_list, "
          "block_list = excluded.block_list, safe_search = excluded.safe_search, "
          "schedule = excluded.schedule",
          profile.id, profile.name, jsonText(json->get("age_bands")),
          jsonText(json->get("blocked_categories")), jsonText(json->get("allow")),
          jsonText(json->get("block")), json->getValue<std::string>("safe_search"),
          jsonText(json->get("schedule")));
}

PolicyDocument SqliteFilteringStore::currentPolicy() {
  if (auto newest = database_.read("read the current policy", selectNewestPolicy)) return *newest;
  return database_.write("create the first policy", [&](Session& session) {
    // Another thread may have created it since the read.
    if (auto newest = selectNewestPolicy(session)) return *newest;
    PolicyDocument first{.version = 1,
                         .body = std::string(kFirstPolicyBody),
                         .etag = strongEtag(kFirstPolicyBody),
                         .indexSha256 = {},
                         .indexBytes = 0};
    execute(session,
            "INSERT INTO policy_documents (version, body, etag, created_at) VALUES (?, ?, ?, ?)",
            first.version, first.body, first.etag, text(common::nowUtc()));
    return first;
  });
}

void SqliteFilteringStore::publishPolicy(const PolicyChange& change) {
  database_.write("publish a new policy",
                  [&](Session& session) { insertPolicyChange(session, change); });
}

std::vector<FilterListRecord> SqliteFilteringStore::listFilterLists() {
  return database_.read("list the filter lists", [&](Session& session) {
    return convertAll(
        query<FilterListRow>(session, kSelectFilterLists + " ORDER BY category, source"),
        toFilterList);
  });
}

std::string SqliteFilteringStore::filterListText(std::int64_t id) {
  return database_.read("read a filter list", [&](Session& session) {
    std::vector<Tuple<Poco::Data::BLOB, Int64>> rows = query<Tuple<Poco::Data::BLOB, Int64>>(
        session, "SELECT content, bytes FROM filter_lists WHERE id = ?", id);
    if (rows.empty())
      throw std::runtime_error("There is no filter list " + std::to_string(id) + ".");
    return decompress(rows.front().get<0>(), static_cast<std::size_t>(rows.front().get<1>()));
  });
}

std::vector<std::int64_t> SqliteFilteringStore::importFilterLists(
    const std::vector<NewFilterList>& lists, const PolicyChange& change) {
  std::vector<Poco::Data::BLOB> contents;
  for (const auto& list : lists) contents.push_back(compress(list.text));
  return database_.write("store filter lists", [&](Session& session) {
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      const auto& list = lists[i].record;
      execute(session, "DELETE FROM filter_lists WHERE category = ? AND source = ?", list.category,
              list.source);
      ids.push_back(
          query<Int64>(session,
                       "INSERT INTO filter_lists (category, source, format, content, sha256, "
                       "bytes, lines, names, ignored, unsupported, bad, imported_by, imported_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       list.category, list.source, list.format, contents[i], list.sha256,
                       static_cast<Int64>(lists[i].text.size()), list.lines, list.names,
                       list.ignored, list.unsupported, badLinesText(list.bad), list.importedBy,
                       text(list.importedAt))
              .at(0));
    }
    insertPolicyChange(session, change);
    return ids;
  });
}

bool SqliteFilteringStore::deleteFilterList(std::int64_t id, const PolicyChange& change) {
  return database_.write("delete a filter list", [&](Session& session) {
    if (execute(session, "DELETE FROM filter_lists WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

std::vector<common::Profile> SqliteFilteringStore::listFilterProfiles() {
  return database_.read("list the filter profiles", [&](Session& session) {
    return convertAll(query<ProfileRow>(session,
                                        "SELECT id, name, age_bands, blocked_categories, "
                                        "allow_list, block_list, safe_search, schedule "
                                        "FROM filter_profiles ORDER BY rowid"),
                      toProfile);
  });
}

std::string SqliteFilteringStore::defaultFilterProfile() {
  return database_.read("read the default filter profile", [&](Session& session) {
    return query<std::string>(session, "SELECT default_profile FROM filter_settings").at(0);
  });
}

void SqliteFilteringStore::saveFilterProfile(const common::Profile& profile,
                                             const PolicyChange& change) {
  database_.write("save a filter profile", [&](Session& session) {
    writeFilterProfile(session, profile);
    insertPolicyChange(session, change);
  });
}

bool SqliteFilteringStore::deleteFilterProfile(const std::string& id, const PolicyChange& change) {
  return database_.write("delete a filter profile", [&](Session& session) {
    if (execute(session, "DELETE FROM filter_profiles WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

void SqliteFilteringStore::setDefaultFilterProfile(const std::string& id,
                                                   const PolicyChange& change) {
  database_.write("set the default filter profile", [&](Session& session) {
    execute(session, "UPDATE filter_settings SET default_profile = ? WHERE id = 1", id);
    insertPolicyChange(session, change);
  });
}

std::optional<common::NoticeText> SqliteFilteringStore::noticeText() {
  return database_.read("read the monitoring notice", [&](Session& session) {
    return convertFirst(
        query<NoticeRow>(session, "SELECT club_name, paragraphs, policy_url FROM notice_text"),
        toNotice);
  });
}

void SqliteFilteringStore::saveNoticeText(const common::NoticeText& notice,
                                          const PolicyChange& change) {
  Poco::JSON::Array::Ptr paragraphs = new Poco::JSON::Array;
  for (const auto& paragraph : notice.paragraphs) paragraphs->add(paragraph);
  const auto paragraphsText = jsonText(paragraphs);
  database_.write("save the monitoring notice", [&](Session& session) {
    execute(session,
            "INSERT INTO notice_text (id, club_name, paragraphs, policy_url) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET club_name = excluded.club_name, "
            "paragraphs = excluded.paragraphs, policy_url = excluded.policy_url",
            notice.clubName, paragraphsText, notice.policyUrl);
    insertPolicyChange(session, change);
  });
}

std::vector<WorkerRecord> SqliteFilteringStore::listWorkers() {
  return database_.read("list the worker PINs", [&](Session& session) {
    return convertAll(query<WorkerRow>(session, kSelectWorkers + " ORDER BY id"), toWorker);
  });
}

std::int64_t SqliteFilteringStore::addWorker(const WorkerRecord& worker,
                                             const PolicyChange& change) {
  return database_.write("add a worker PIN", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO worker_pins (name, pin_hash, created_at, created_by) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     worker.name, worker.pinHash, text(worker.createdAt), worker.createdBy)
            .at(0);
    insertPolicyChange(session, change);
    return id;
  });
}

std::vector<MemberRecord> SqliteFilteringStore::listMembers() {
  return database_.read("list the member register", [&](Session& session) {
    return convertAll(query<MemberRow>(session, kSelectMembers + " ORDER BY id"), toMember);
  });
}

std::int64_t SqliteFilteringStore::addMember(const MemberRecord& member,
                                             const PolicyChange& change) {
  return database_.write("add a member to the register", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO members (name, age_band, created_at, created_by) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     member.name, member.ageBand, text(member.createdAt), member.createdBy)
            .at(0);
    insertPolicyChange(session, change);
    return id;
  });
}

bool SqliteFilteringStore::deleteMember(std::int64_t id, const PolicyChange& change) {
  return database_.write("remove a member from the register", [&](Session& session) {
    if (execute(session, "DELETE FROM members WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

bool SqliteFilteringStore::deleteWorker(std::int64_t id, const PolicyChange& change) {
  return database_.write("remove a worker PIN", [&](Session& session) {
    if (execute(session, "DELETE FROM worker_pins WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

}  // namespace clubsafe::collector
