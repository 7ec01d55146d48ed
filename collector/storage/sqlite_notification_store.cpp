#include "collector/storage/sqlite_notification_store.hpp"

#include "collector/storage/sqlite_query.hpp"

#include <Poco/Tuple.h>

#include <stdexcept>
#include <string_view>

namespace clubsafe::collector {
namespace {

using namespace sqlite;
using Poco::Data::Session;
using NullableInt = Poco::Nullable<Poco::Int64>;

std::string audienceName(Audience audience) {
  return audience == Audience::Dsl ? "dsl" : "manager";
}

Audience readAudience(const std::string& stored) {
  if (stored == "dsl") return Audience::Dsl;
  if (stored == "manager") return Audience::Manager;
  throw std::runtime_error("The notifications hold an audience the collector does not know (\"" +
                           stored + "\"); the file may be damaged.");
}

std::string viaName(MailVia via) {
  switch (via) {
    case MailVia::Alone:
      return "alone";
    case MailVia::Digest:
      return "digest";
    case MailVia::Summary:
      return "summary";
    case MailVia::Unsent:
      break;
  }
  return "unsent";
}

std::optional<Timestamp> optionalTime(const NullableInt& stored) {
  if (stored.isNull()) return std::nullopt;
  return timeFromMilliseconds(stored.value());
}

// The laptop's id and name from its rollup_names number; a laptop removed since keeps its id.
constexpr std::string_view kSelectNotification = R"sql(
SELECT n.id, n.audience, n.kind, n.severity, d.name, COALESCE(dv.name, d.name), n.happened_at,
       n.raised_at, n.attempts, n.acknowledged_at, n.acknowledged_by
FROM notifications n
JOIN rollup_names d ON d.id = n.device
LEFT JOIN devices dv ON dv.id = d.name)sql";

using NotificationRow =
    Poco::Tuple<Poco::Int64, std::string, std::string, int, std::string, std::string, Poco::Int64,
                Poco::Int64, int, NullableInt, std::string>;

Notification toNotification(const NotificationRow& row) {
  return {.id = row.get<0>(),
          .audience = readAudience(row.get<1>()),
          .kind = row.get<2>(),
          .severity = row.get<3>(),
          .deviceId = row.get<4>(),
          .laptopName = row.get<5>(),
          .happenedAt = timeFromMilliseconds(row.get<6>()),
          .raisedAt = timeFromMilliseconds(row.get<7>()),
          .attempts = row.get<8>(),
          .acknowledgedAt = optionalTime(row.get<9>()),
          .acknowledgedBy = row.get<10>()};
}

}  // namespace

std::vector<Notification> SqliteNotificationStore::listDue(Timestamp now) {
  return database_.read("read the notifications waiting to be mailed", [&](Session& session) {
    return convertAll(
        query<NotificationRow>(session,
                               std::string(kSelectNotification) +
                                   " WHERE n.mailed_at IS NULL AND n.mail_after <= ? ORDER BY n.id",
                               storedMilliseconds(now)),
        toNotification);
  });
}

void SqliteNotificationStore::markMailed(Audience audience, std::span<const std::int64_t> ids,
                                         MailVia via, Timestamp at) {
  database_.write("record notifications as mailed", [&](Session& session) {
    for (const auto id : ids) {
      execute(session,
              "UPDATE notifications SET mailed_at = ?, via = ? WHERE id = ? AND mailed_at IS NULL",
              storedMilliseconds(at), viaName(via), Poco::Int64{id});
    }
    if (via != MailVia::Unsent) {
      execute(session, "INSERT INTO mails_sent (audience, via, sent_at, items) VALUES (?, ?, ?, ?)",
              audienceName(audience), viaName(via), storedMilliseconds(at),
              static_cast<Poco::Int64>(ids.size()));
    }
  });
}

void SqliteNotificationStore::recordFailure(std::span<const std::int64_t> ids,
                                            const std::string& error, Timestamp at,
                                            Timestamp retryAt) {
  database_.write("record a failed e-mail", [&](Session& session) {
    for (const auto id : ids) {
      execute(session,
              "UPDATE notifications SET attempts = attempts + 1, last_error = ?, mail_after = ? "
              "WHERE id = ? AND mailed_at IS NULL",
              error, storedMilliseconds(retryAt), Poco::Int64{id});
    }
    execute(session, "INSERT OR REPLACE INTO mail_failures (id, at, error) VALUES (1, ?, ?)",
            storedMilliseconds(at), error);
  });
}

std::int64_t SqliteNotificationStore::countMailsSince(Audience audience, Timestamp since) {
  return database_.read("count the e-mails sent", [&](Session& session) {
    return query<Poco::Int64>(session,
                              "SELECT COUNT(*) FROM mails_sent WHERE audience = ? AND "
                              "via IN ('alone', 'summary') AND sent_at > ?",
                              audienceName(audience), storedMilliseconds(since))
        .front();
  });
}

void SqliteNotificationStore::raiseLaptopSilent(const std::string& deviceId, Timestamp lastSeen,
                                                Timestamp now) {
  database_.write("raise a manager alert for a silent laptop", [&](Session& session) {
    execute(session, R"sql(
INSERT INTO notifications (audience, kind, severity, device, happened_at, raised_at, mail_after)
SELECT 'manager', 'laptop_silent', 0, id, ?1, ?2, ?2 FROM rollup_names WHERE name = ?3
AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'laptop_silent'
                AND n.device = rollup_names.id AND n.happened_at = ?1))sql",
            storedMilliseconds(lastSeen), storedMilliseconds(now), deviceId);
  });
}

std::vector<Notification> SqliteNotificationStore::listManagerAlerts(bool withAcknowledged,
                                                                     std::size_t limit) {
  return database_.read("read the manager alerts", [&](Session& session) {
    return convertAll(
        query<NotificationRow>(session,
                               std::string(kSelectNotification) +
                                   " WHERE n.audience = 'manager' AND (? OR n.acknowledged_at IS "
                                   "NULL) ORDER BY n.raised_at DESC, n.id DESC LIMIT ?",
                               withAcknowledged, static_cast<Poco::Int64>(limit)),
        toNotification);
  });
}

bool SqliteNotificationStore::acknowledgeManagerAlert(std::int64_t id, const std::string& by,
                                                      Timestamp at) {
  return database_.write("acknowledge a manager alert", [&](Session& session) {
    return execute(session,
                   "UPDATE notifications SET acknowledged_at = ?, acknowledged_by = ? "
                   "WHERE id = ? AND audience = 'manager' AND acknowledged_at IS NULL",
                   storedMilliseconds(at), by, Poco::Int64{id}) == 1;
  });
}

MailStatus SqliteNotificationStore::mailStatus() {
  return database_.read("read how e-mail is going", [&](Session& session) {
    using StatusRow = Poco::Tuple<Poco::Int64, Poco::Int64, NullableInt>;
    const auto counts = query<StatusRow>(session, R"sql(
SELECT COUNT(*), COALESCE(SUM(attempts > 0), 0), (SELECT MAX(sent_at) FROM mails_sent)
FROM notifications WHERE mailed_at IS NULL)sql")
                            .front();
    MailStatus status;
    status.waiting = counts.get<0>();
    status.failing = counts.get<1>();
    status.lastSentAt = optionalTime(counts.get<2>());
    using FailureRow = Poco::Tuple<Poco::Int64, std::string>;
    for (const auto& failure :
         query<FailureRow>(session, "SELECT at, error FROM mail_failures WHERE id = 1")) {
      status.lastFailureAt = timeFromMilliseconds(failure.get<0>());
      status.lastError = failure.get<1>();
    }
    return status;
  });
}

}  // namespace clubsafe::collector
