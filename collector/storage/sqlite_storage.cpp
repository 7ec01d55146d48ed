#include "collector/storage/sqlite_storage.hpp"

#include "collector/storage/migrations.hpp"
#include "collector/storage/sqlite_dns_minutes.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <type_traits>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using Poco::Int64;
using Poco::Nullable;
using Poco::Tuple;
using Poco::Data::Session;
using Poco::Data::Statement;
using NullableText = Nullable<std::string>;

constexpr int kBusyTimeoutMilliseconds = 5000;
constexpr std::string_view kFirstPolicyBody = R"({"policy_version":1})";

std::string describeFailure(const std::filesystem::path& file, std::string_view action,
                            const Poco::Exception& error) {
  return "The collector database " + file.string() + " could not " + std::string(action) + ": " +
         error.displayText();
}

// Runs one statement, its parameters copied into it, and returns how many rows it changed.
template <typename... Params>
std::size_t execute(Session& session, const std::string& sql, const Params&... params) {
  Statement statement(session);
  statement << sql;
  (statement.addBind(db::bind(params)), ...);
  return statement.execute();
}

// Runs one statement and returns its rows; Row is a column type or a Poco::Tuple of them.
template <typename Row, typename... Params>
std::vector<Row> query(Session& session, const std::string& sql, const Params&... params) {
  std::vector<Row> rows;
  Statement statement(session);
  statement << sql, db::into(rows);
  (statement.addBind(db::bind(params)), ...);
  statement.execute();
  return rows;
}

template <typename Row, typename Convert>
auto convertAll(const std::vector<Row>& rows, Convert convert) {
  std::vector<std::invoke_result_t<Convert, const Row&>> converted;
  converted.reserve(rows.size());
  for (const auto& row : rows) converted.push_back(convert(row));
  return converted;
}

template <typename Row, typename Convert>
auto convertFirst(const std::vector<Row>& rows, Convert convert)
    -> std::optional<std::invoke_result_t<Convert, const Row&>> {
  if (rows.empty()) return std::nullopt;
  return convert(rows.front());
}

std::string text(Timestamp time) {
  return common::formatTimestamp(time);
}

NullableText nullableText(const std::optional<Timestamp>& time) {
  return time ? NullableText(text(*time)) : NullableText();
}

Timestamp readTime(const std::string& stored) {
  const auto time = common::parseTimestamp(stored);
  if (!time) {
    throw std::runtime_error("The collector database holds a time it cannot read (\"" + stored +
                             "\"); the file may be damaged.");
  }
  return *time;
}

std::optional<Timestamp> readOptionalTime(const NullableText& stored) {
  if (stored.isNull()) return std::nullopt;
  return readTime(stored.value());
}

std::string compactJson(const Poco::JSON::Object::Ptr& object) {
  if (object.isNull()) return "{}";
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::string strongEtag(std::string_view body) {
  return '"' + common::sha256Hex(body) + '"';
}

const std::string kSelectTokens =
    "SELECT id, label, created_by, created_at, expires_at, used_at, used_by_device, revoked_at "
    "FROM enrolment_tokens";
using TokenRow = Tuple<Int64, std::string, std::string, std::string, std::string, NullableText,
                       NullableText, NullableText>;

EnrolmentTokenRecord toToken(const TokenRow& row) {
  return {.id = row.get<0>(),
          .label = row.get<1>(),
          .createdBy = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .expiresAt = readTime(row.get<4>()),
          .usedAt = readOptionalTime(row.get<5>()),
          .usedByDevice = row.get<6>().value(""),
          .revoked = !row.get<7>().isNull()};
}

const std::string kSelectDevices =
    "SELECT id, name, hostname, os, agent_version, enrolled_at, last_seen, highest_seq, backlog, "
    "queue_lag_seconds, revoked_at FROM devices";
using DeviceRow = Tuple<std::string, std::string, std::string, std::string, std::string,
                        std::string, NullableText, Int64, Int64, Int64, NullableText>;

DeviceRecord toDevice(const DeviceRow& row) {
  return {.id = row.get<0>(),
          .name = row.get<1>(),
          .hostname = row.get<2>(),
          .os = row.get<3>(),
          .agentVersion = row.get<4>(),
          .enrolledAt = readTime(row.get<5>()),
          .lastSeen = readOptionalTime(row.get<6>()),
          .highestSequence = row.get<7>(),
          .backlog = row.get<8>(),
          .queueLagSeconds = row.get<9>(),
          .revoked = !row.get<10>().isNull()};
}

const std::string kSelectUsers =
    "SELECT id, username, role, password_hash, must_change_password, failed_logins, "
    "locked_until FROM console_users";
using UserRow = Tuple<Int64, std::string, std::string, std::string, bool, Int64, NullableText>;

ConsoleUser toUser(const UserRow& row) {
  return {.id = row.get<0>(),
          .username = row.get<1>(),
          .role = row.get<2>(),
          .passwordHash = row.get<3>(),
          .mustChangePassword = row.get<4>(),
          .failedLogins = row.get<5>(),
          .lockedUntil = readOptionalTime(row.get<6>())};
}

using SessionRow = Tuple<std::string, Int64, std::string, std::string, std::string>;

SessionRecord toSession(const SessionRow& row) {
  return {.idHash = row.get<0>(),
          .userId = row.get<1>(),
          .csrfToken = row.get<2>(),
          .createdAt = readTime(row.get<3>()),
          .lastUsedAt = readTime(row.get<4>())};
}

using PolicyRow = Tuple<Int64, std::string, std::string, std::string, Int64>;

PolicyDocument toPolicy(const PolicyRow& row) {
  return {.version = row.get<0>(),
          .body = row.get<1>(),
          .etag = row.get<2>(),
          .indexSha256 = row.get<3>(),
          .indexBytes = row.get<4>()};
}

using AuditRow =
    Tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

AuditEntry toAudit(const AuditRow& row) {
  return {.time = readTime(row.get<0>()),
          .actor = row.get<1>(),
          .action = row.get<2>(),
          .target = row.get<3>(),
          .detail = row.get<4>(),
          .reason = row.get<5>()};
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

void insertAudit(Session& session, const AuditEntry& entry) {
  execute(session,
          "INSERT INTO audit_log (time, actor, action, target, detail, reason) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          text(entry.time), entry.actor, entry.action, entry.target, entry.detail, entry.reason);
}

// The second half of every filtering change: the new policy version and the audit entry.
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
  insertAudit(session, change.audit);
}

Session openDatabase(const std::filesystem::path& file) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  try {
    Poco::Data::SQLite::Connector::registerConnector();
    Session session(Poco::Data::SQLite::Connector::KEY, file.string());
    std::string journalMode;
    session << "PRAGMA journal_mode = WAL", db::into(journalMode), db::now;
    if (journalMode != "wal") {
      spdlog::warn(
          "The collector database {} cannot use write-ahead logging (its file system "
          "refused it); it works, but readers and the writer will wait for each other.",
          file.string());
    }
    // FULL rather than NORMAL: agents delete events once the collector acknowledges them, so a
    // committed batch must survive a power cut too, not only a crash of the collector.
    session << "PRAGMA synchronous = FULL", db::now;
    session << "PRAGMA foreign_keys = ON", db::now;
    session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMilliseconds), db::now;
    return session;
  } catch (const Poco::Exception& error) {
    throw std::runtime_error(describeFailure(file, "be opened", error));
  }
}

}  // namespace

SqliteStorage::SqliteStorage(const std::filesystem::path& databaseFile)
    : path_(databaseFile), session_(openDatabase(databaseFile)) {
  try {
    const auto applied = applyMigrations(session_, sqliteMigrations(), common::nowUtc());
    if (applied > 0) {
      spdlog::info("Brought the collector database {} up to schema version {}.", path_.string(),
                   sqliteMigrations().back().version);
    }
  } catch (const Poco::Exception& error) {
    throw std::runtime_error(describeFailure(path_, "update its schema", error));
  }
}

template <typename Work>
auto SqliteStorage::inTransaction(std::string_view action, Work&& work) {
  std::lock_guard lock(mutex_);
  try {
    Poco::Data::Transaction transaction(session_);
    if constexpr (std::is_void_v<std::invoke_result_t<Work&, Session&>>) {
      work(session_);
      transaction.commit();
    } else {
      auto result = work(session_);
      transaction.commit();
      return result;
    }
  } catch (const Poco::Exception& error) {
    throw std::runtime_error(describeFailure(path_, action, error));
  }
}

std::int64_t SqliteStorage::createEnrolmentToken(const std::string& tokenHash,
                                                 const std::string& label,
                                                 const std::string& createdBy, Timestamp createdAt,
                                                 Timestamp expiresAt, AuditEntry audit) {
  return inTransaction("create an enrolment token", [&](Session& session) {
    const auto id =
        query<Int64>(session,
                     "INSERT INTO enrolment_tokens (token_hash, label, created_by, created_at, "
                     "expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                     tokenHash, label, createdBy, text(createdAt), text(expiresAt))
            .at(0);
    audit.target = std::to_string(id);
    insertAudit(session, audit);
    return id;
  });
}

std::vector<EnrolmentTokenRecord> SqliteStorage::listEnrolmentTokens() {
  return inTransaction("list enrolment tokens", [&](Session& session) {
    return convertAll(query<TokenRow>(session, kSelectTokens + " ORDER BY id DESC"), toToken);
  });
}

bool SqliteStorage::revokeEnrolmentToken(std::int64_t id, const AuditEntry& audit) {
  return inTransaction("revoke an enrolment token", [&](Session& session) {
    if (execute(session,
                "UPDATE enrolment_tokens SET revoked_at = ? "
                "WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
                text(common::nowUtc()), id) != 1) {
      return false;
    }
    insertAudit(session, audit);
    return true;
  });
}

bool SqliteStorage::enrolDevice(const std::string& tokenHash, const NewDevice& device,
                                Timestamp now) {
  const std::string at = text(now);
  return inTransaction("enrol a device", [&](Session& session) {
    // The conditional update is the check: two enrolments racing for one token cannot both
    // change its row. The device's row follows (the token's reference to it is deferred).
    const auto consumed = execute(session,
                                  "UPDATE enrolment_tokens SET used_at = ?, used_by_device = ? "
                                  "WHERE token_hash = ? AND used_at IS NULL "
                                  "AND revoked_at IS NULL AND expires_at > ?",
                                  at, device.id, tokenHash, at);
    if (consumed == 0) return false;
    execute(session,
            "INSERT INTO devices (id, secret_hash, name, hostname, os, agent_version, enrolled_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            device.id, device.secretHash, device.name, device.hostname, device.os,
            device.agentVersion, at);
    return true;
  });
}

std::vector<DeviceRecord> SqliteStorage::listDevices() {
  return inTransaction("list devices", [&](Session& session) {
    return convertAll(query<DeviceRow>(session, kSelectDevices + " ORDER BY enrolled_at, id"),
                      toDevice);
  });
}

std::optional<DeviceRecord> SqliteStorage::findDevice(const std::string& id) {
  return inTransaction("find a device", [&](Session& session) {
    return convertFirst(query<DeviceRow>(session, kSelectDevices + " WHERE id = ?", id), toDevice);
  });
}

std::optional<std::string> SqliteStorage::activeDeviceSecretHash(const std::string& id) {
  return inTransaction("check a device's credentials", [&](Session& session) {
    const auto hashes = query<std::string>(
        session, "SELECT secret_hash FROM devices WHERE id = ? AND revoked_at IS NULL", id);
    return hashes.empty() ? std::nullopt : std::optional(hashes.front());
  });
}

bool SqliteStorage::revokeDevice(const std::string& id, const AuditEntry& audit) {
  return inTransaction("revoke a device", [&](Session& session) {
    if (execute(session, "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                text(common::nowUtc()), id) != 1) {
      return false;
    }
    insertAudit(session, audit);
    return true;
  });
}

void SqliteStorage::markDeviceSeen(const std::string& id, Timestamp now) {
  inTransaction("record that a device was seen", [&](Session& session) {
    execute(session, "UPDATE devices SET last_seen = ? WHERE id = ?", text(now), id);
  });
}

StoreEventsResult SqliteStorage::storeEvents(const common::Batch& batch, Timestamp now) {
  std::int64_t batchHighest = 0;
  std::optional<Timestamp> oldest;
  for (const auto& event : batch.events) {
    batchHighest = std::max(batchHighest, event.sequence);
    oldest = oldest ? std::min(*oldest, event.time) : event.time;
  }
  // An empty batch says nothing about lag, so the device keeps the value it had.
  Nullable<Int64> queueLag;
  if (oldest) {
    queueLag =
        std::max<Int64>(0, std::chrono::duration_cast<std::chrono::seconds>(now - *oldest).count());
  }

  return inTransaction("store a batch of events", [&](Session& session) {
    // Non-const copies: the prepared insert below binds to them by reference.
    std::string deviceId = batch.header.deviceId;
    std::string receivedAt = text(now);
    const auto highest = query<Int64>(
        session,
        "UPDATE devices SET last_seen = ?, backlog = ?, "
        "queue_lag_seconds = COALESCE(?, queue_lag_seconds), "
        "highest_seq = CASE WHEN highest_seq < ? THEN ? ELSE highest_seq END "
        "WHERE id = ? RETURNING highest_seq",
        receivedAt, batch.header.backlog, queueLag, batchHighest, batchHighest, deviceId);
    if (highest.empty()) {
      throw std::runtime_error("Events arrived for device " + deviceId +
                               ", which is not enrolled here.");
    }

    StoreEventsResult result{.stored = 0, .highestSequence = highest.front()};
    Int64 sequence = 0;
    std::string type, time, osUser, member, profile, payload;
    Statement insert(session);
    insert << "INSERT INTO events (device_id, seq, type, time, os_user, member, profile, "
              "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (device_id, seq) DO NOTHING",
        db::use(deviceId), db::use(sequence), db::use(type), db::use(time), db::use(osUser),
        db::use(member), db::use(profile), db::use(payload), db::use(receivedAt);
    DnsMinuteRollup dnsMinutes(session, deviceId);
    for (const auto& event : batch.events) {
      sequence = event.sequence;
      type = common::eventTypeInfo(event.type).name;
      time = text(event.time);
      osUser = event.osUser;
      member = event.member;
      profile = event.profile;
      payload = compactJson(event.payload);
      const auto inserted = insert.execute();
      result.stored += inserted;
      // Only an event new here counts: one sent again is already in its minute.
      if (inserted == 1 && event.type == common::EventType::DnsDecision) dnsMinutes.add(event);
    }
    return result;
  });
}

std::int64_t SqliteStorage::countEvents(const std::string& deviceId) {
  return inTransaction("count events", [&](Session& session) {
    return query<Int64>(session, "SELECT COUNT(*) FROM events WHERE device_id = ?", deviceId).at(0);
  });
}

std::size_t SqliteStorage::deleteEventsBefore(common::EventType type, Timestamp cutoff) {
  return inTransaction("delete events past their retention", [&](Session& session) {
    // The minutes are read in place of the events they add up, so they go with them.
    if (type == common::EventType::DnsDecision) (void)deleteDnsMinutesBefore(session, cutoff);
    return execute(session, "DELETE FROM events WHERE type = ? AND time < ?",
                   std::string(common::eventTypeInfo(type).name), text(cutoff));
  });
}

std::vector<DnsMinuteRecord> SqliteStorage::listDnsMinutes(const std::string& deviceId,
                                                           Timestamp from, Timestamp to) {
  return inTransaction("list DNS decisions per minute", [&](Session& session) {
    return selectDnsMinutes(session, deviceId, from, to);
  });
}

std::size_t SqliteStorage::countUsers() {
  return inTransaction("count console users", [&](Session& session) {
    return static_cast<std::size_t>(
        query<Int64>(session, "SELECT COUNT(*) FROM console_users").at(0));
  });
}

std::int64_t SqliteStorage::createUser(const std::string& username, const std::string& role,
                                       const std::string& passwordHash, bool mustChangePassword) {
  return inTransaction("create a console user", [&](Session& session) {
    return query<Int64>(session,
                        "INSERT INTO console_users (username, role, password_hash, "
                        "must_change_password) VALUES (?, ?, ?, ?) RETURNING id",
                        username, role, passwordHash, mustChangePassword)
        .at(0);
  });
}

std::optional<ConsoleUser> SqliteStorage::findUserByName(const std::string& username) {
  return inTransaction("find a console user", [&](Session& session) {
    return convertFirst(query<UserRow>(session, kSelectUsers + " WHERE username = ?", username),
                        toUser);
  });
}

std::optional<ConsoleUser> SqliteStorage::findUserById(std::int64_t id) {
  return inTransaction("find a console user", [&](Session& session) {
    return convertFirst(query<UserRow>(session, kSelectUsers + " WHERE id = ?", id), toUser);
  });
}

void SqliteStorage::recordLoginFailure(std::int64_t userId, std::optional<Timestamp> lockedUntil) {
  inTransaction("record a failed sign-in", [&](Session& session) {
    execute(session,
            "UPDATE console_users SET failed_logins = failed_logins + 1, locked_until = ? "
            "WHERE id = ?",
            nullableText(lockedUntil), userId);
  });
}

void SqliteStorage::recordLoginSuccess(std::int64_t userId) {
  inTransaction("record a sign-in", [&](Session& session) {
    execute(session, "UPDATE console_users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
            userId);
  });
}

void SqliteStorage::setPassword(std::int64_t userId, const std::string& passwordHash,
                                bool mustChangePassword, const AuditEntry& audit) {
  inTransaction("change a password", [&](Session& session) {
    execute(session,
            "UPDATE console_users SET password_hash = ?, must_change_password = ? WHERE id = ?",
            passwordHash, mustChangePassword, userId);
    insertAudit(session, audit);
  });
}

void SqliteStorage::createSession(const SessionRecord& record) {
  inTransaction("start a console session", [&](Session& session) {
    execute(session,
            "INSERT INTO console_sessions (id_hash, user_id, csrf_token, created_at, last_used_at) "
            "VALUES (?, ?, ?, ?, ?)",
            record.idHash, record.userId, record.csrfToken, text(record.createdAt),
            text(record.lastUsedAt));
  });
}

std::optional<SessionRecord> SqliteStorage::findSession(const std::string& idHash) {
  return inTransaction("find a console session", [&](Session& session) {
    return convertFirst(query<SessionRow>(session,
                                          "SELECT id_hash, user_id, csrf_token, created_at, "
                                          "last_used_at FROM console_sessions WHERE id_hash = ?",
                                          idHash),
                        toSession);
  });
}

void SqliteStorage::touchSession(const std::string& idHash, Timestamp lastUsedAt) {
  inTransaction("refresh a console session", [&](Session& session) {
    execute(session, "UPDATE console_sessions SET last_used_at = ? WHERE id_hash = ?",
            text(lastUsedAt), idHash);
  });
}

void SqliteStorage::deleteSession(const std::string& idHash) {
  inTransaction("end a console session", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE id_hash = ?", idHash);
  });
}

void SqliteStorage::deleteSessionsOfUser(std::int64_t userId) {
  inTransaction("end a user's console sessions", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE user_id = ?", userId);
  });
}

void SqliteStorage::deleteSessionsIdleSince(Timestamp cutoff) {
  inTransaction("end idle console sessions", [&](Session& session) {
    execute(session, "DELETE FROM console_sessions WHERE last_used_at < ?", text(cutoff));
  });
}

PolicyDocument SqliteStorage::currentPolicy() {
  return inTransaction("read the current policy", [&](Session& session) {
    const auto newest = query<PolicyRow>(
        session,
        "SELECT version, body, etag, index_sha256, index_bytes FROM policy_documents "
        "ORDER BY version DESC LIMIT 1");
    if (!newest.empty()) return toPolicy(newest.front());
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

void SqliteStorage::publishPolicy(const PolicyChange& change) {
  inTransaction("publish a new policy",
                [&](Session& session) { insertPolicyChange(session, change); });
}

std::vector<FilterListRecord> SqliteStorage::listFilterLists() {
  return inTransaction("list the filter lists", [&](Session& session) {
    return convertAll(
        query<FilterListRow>(session, kSelectFilterLists + " ORDER BY category, source"),
        toFilterList);
  });
}

std::string SqliteStorage::filterListText(std::int64_t id) {
  return inTransaction("read a filter list", [&](Session& session) {
    std::vector<Tuple<Poco::Data::BLOB, Int64>> rows = query<Tuple<Poco::Data::BLOB, Int64>>(
        session, "SELECT content, bytes FROM filter_lists WHERE id = ?", id);
    if (rows.empty())
      throw std::runtime_error("There is no filter list " + std::to_string(id) + ".");
    return decompress(rows.front().get<0>(), static_cast<std::size_t>(rows.front().get<1>()));
  });
}

std::vector<std::int64_t> SqliteStorage::importFilterLists(const std::vector<NewFilterList>& lists,
                                                           const PolicyChange& change) {
  std::vector<Poco::Data::BLOB> contents;
  for (const auto& list : lists) contents.push_back(compress(list.text));
  return inTransaction("store filter lists", [&](Session& session) {
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

bool SqliteStorage::deleteFilterList(std::int64_t id, const PolicyChange& change) {
  return inTransaction("delete a filter list", [&](Session& session) {
    if (execute(session, "DELETE FROM filter_lists WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

std::vector<common::Profile> SqliteStorage::listFilterProfiles() {
  return inTransaction("list the filter profiles", [&](Session& session) {
    return convertAll(query<ProfileRow>(session,
                                        "SELECT id, name, age_bands, blocked_categories, "
                                        "allow_list, block_list, safe_search, schedule "
                                        "FROM filter_profiles ORDER BY rowid"),
                      toProfile);
  });
}

std::string SqliteStorage::defaultFilterProfile() {
  return inTransaction("read the default filter profile", [&](Session& session) {
    return query<std::string>(session, "SELECT default_profile FROM filter_settings").at(0);
  });
}

void SqliteStorage::saveFilterProfile(const common::Profile& profile, const PolicyChange& change) {
  const auto json = common::profileToJson(profile);
  inTransaction("save a filter profile", [&](Session& session) {
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
    insertPolicyChange(session, change);
  });
}

bool SqliteStorage::deleteFilterProfile(const std::string& id, const PolicyChange& change) {
  return inTransaction("delete a filter profile", [&](Session& session) {
    if (execute(session, "DELETE FROM filter_profiles WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

void SqliteStorage::setDefaultFilterProfile(const std::string& id, const PolicyChange& change) {
  inTransaction("set the default filter profile", [&](Session& session) {
    execute(session, "UPDATE filter_settings SET default_profile = ? WHERE id = 1", id);
    insertPolicyChange(session, change);
  });
}

std::optional<common::NoticeText> SqliteStorage::noticeText() {
  return inTransaction("read the monitoring notice", [&](Session& session) {
    return convertFirst(
        query<NoticeRow>(session, "SELECT club_name, paragraphs, policy_url FROM notice_text"),
        toNotice);
  });
}

void SqliteStorage::saveNoticeText(const common::NoticeText& notice, const PolicyChange& change) {
  Poco::JSON::Array::Ptr paragraphs = new Poco::JSON::Array;
  for (const auto& paragraph : notice.paragraphs) paragraphs->add(paragraph);
  const auto paragraphsText = jsonText(paragraphs);
  inTransaction("save the monitoring notice", [&](Session& session) {
    execute(session,
            "INSERT INTO notice_text (id, club_name, paragraphs, policy_url) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET club_name = excluded.club_name, "
            "paragraphs = excluded.paragraphs, policy_url = excluded.policy_url",
            notice.clubName, paragraphsText, notice.policyUrl);
    insertPolicyChange(session, change);
  });
}

std::vector<WorkerRecord> SqliteStorage::listWorkers() {
  return inTransaction("list the worker PINs", [&](Session& session) {
    return convertAll(query<WorkerRow>(session, kSelectWorkers + " ORDER BY id"), toWorker);
  });
}

std::int64_t SqliteStorage::addWorker(const WorkerRecord& worker, const PolicyChange& change) {
  return inTransaction("add a worker PIN", [&](Session& session) {
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

bool SqliteStorage::deleteWorker(std::int64_t id, const PolicyChange& change) {
  return inTransaction("remove a worker PIN", [&](Session& session) {
    if (execute(session, "DELETE FROM worker_pins WHERE id = ?", id) == 0) return false;
    insertPolicyChange(session, change);
    return true;
  });
}

void SqliteStorage::recordAudit(const AuditEntry& entry) {
  inTransaction("write to the audit log", [&](Session& session) { insertAudit(session, entry); });
}

std::vector<AuditEntry> SqliteStorage::listAudit(std::size_t limit) {
  return inTransaction("read the audit log", [&](Session& session) {
    return convertAll(
        query<AuditRow>(session,
                        "SELECT time, actor, action, target, detail, reason FROM audit_log "
                        "ORDER BY id DESC LIMIT ?",
                        static_cast<Int64>(limit)),
        toAudit);
  });
}

}  // namespace clubsafe::collector
