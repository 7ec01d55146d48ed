#include "collector/storage/sqlite_subscription_store.hpp"

#include "collector/storage/sqlite_audit_log.hpp"
#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Int64;
using Poco::Data::Session;

const std::string kSelect =
    "SELECT id, url, format, category, source, refresh_hours, max_bytes, created_by, created_at, "
    "etag, last_modified, sha256, checked_at, succeeded_at, changed_at, failure, failing_since "
    "FROM list_subscriptions";
using Row = Poco::Tuple<Int64, std::string, std::string, std::string, std::string, Int64, Int64,
                        std::string, std::string, std::string, std::string, std::string,
                        NullableText, NullableText, NullableText, std::string, NullableText>;

SubscriptionRecord toSubscription(const Row& row) {
  return {.id = row.get<0>(),
          .url = row.get<1>(),
          .format = row.get<2>(),
          .category = row.get<3>(),
          .source = row.get<4>(),
          .refreshHours = row.get<5>(),
          .maxBytes = row.get<6>(),
          .createdBy = row.get<7>(),
          .createdAt = readTime(row.get<8>()),
          .etag = row.get<9>(),
          .lastModified = row.get<10>(),
          .sha256 = row.get<11>(),
          .checkedAt = readOptionalTime(row.get<12>()),
          .succeededAt = readOptionalTime(row.get<13>()),
          .changedAt = readOptionalTime(row.get<14>()),
          .failure = row.get<15>(),
          .failingSince = readOptionalTime(row.get<16>())};
}

}  // namespace

std::vector<SubscriptionRecord> SqliteSubscriptionStore::listSubscriptions() {
  return database_.read("list the list subscriptions", [&](Session& session) {
    return convertAll(query<Row>(session, kSelect + " ORDER BY id"), toSubscription);
  });
}

std::optional<SubscriptionRecord> SqliteSubscriptionStore::findSubscription(std::int64_t id) {
  return database_.read("read a list subscription", [&](Session& session) {
    return convertFirst(query<Row>(session, kSelect + " WHERE id = ?", static_cast<Int64>(id)),
                        toSubscription);
  });
}

std::int64_t SqliteSubscriptionStore::addSubscription(const SubscriptionRecord& subscription,
                                                      const AuditEntry& audit) {
  return database_.write("add a list subscription", [&](Session& session) {
    if (!query<Int64>(session,
                      "SELECT id FROM list_subscriptions WHERE category = ? AND source = ?",
                      subscription.category, subscription.source)
             .empty()) {
      throw std::runtime_error("That list is already subscribed to in this category.");
    }
    const auto id = query<Int64>(session,
                                 "INSERT INTO list_subscriptions (url, format, category, source, "
                                 "refresh_hours, max_bytes, created_by, created_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                 subscription.url, subscription.format, subscription.category,
                                 subscription.source, static_cast<Int64>(subscription.refreshHours),
                                 static_cast<Int64>(subscription.maxBytes), subscription.createdBy,
                                 text(subscription.createdAt))
                        .at(0);
    insertAuditEntry(session, audit);
    return id;
  });
}

bool SqliteSubscriptionStore::deleteSubscription(std::int64_t id, const AuditEntry& audit) {
  return database_.write("delete a list subscription", [&](Session& session) {
    if (execute(session, "DELETE FROM list_subscriptions WHERE id = ?", static_cast<Int64>(id)) ==
        0) {
      return false;
    }
    insertAuditEntry(session, audit);
    return true;
  });
}

void SqliteSubscriptionStore::recordCheck(std::int64_t id, const SubscriptionCheck& check) {
  const auto at = text(check.at);
  const auto key = static_cast<Int64>(id);
  database_.write("record a list subscription's refresh", [&](Session& session) {
    if (!check.failure.empty()) {
      execute(session,
              "UPDATE list_subscriptions SET checked_at = ?, failure = ?, "
              "failing_since = COALESCE(failing_since, ?) WHERE id = ?",
              at, check.failure, at, key);
      return;
    }
    execute(session,
            "UPDATE list_subscriptions SET checked_at = ?, succeeded_at = ?, failure = '', "
            "failing_since = NULL WHERE id = ?",
            at, at, key);
    if (!check.sha256.empty()) {
      execute(session,
              "UPDATE list_subscriptions SET etag = ?, last_modified = ?, sha256 = ? WHERE id = ?",
              check.etag, check.lastModified, check.sha256, key);
    }
    if (check.changed) {
      execute(session, "UPDATE list_subscriptions SET changed_at = ? WHERE id = ?", at, key);
    }
  });
}

}  // namespace clubsafe::collector
