#include "collector/storage/sqlite_dns_minutes.hpp"

#include "common/time.hpp"

#include <Poco/Tuple.h>

#include <stdexcept>

namespace clubsafe::collector {
namespace {

namespace db = Poco::Data::Keywords;
using Poco::Int64;

std::string payloadText(const common::Event& event, const std::string& name) {
  return event.payload->has(name) ? event.payload->getValue<std::string>(name) : std::string();
}

}  // namespace

DnsMinuteRollup::DnsMinuteRollup(Poco::Data::Session& session, std::string deviceId)
    : deviceId_(std::move(deviceId)), upsert_(session) {
  upsert_ << "INSERT INTO dns_minutes (device_id, minute, domain, action, category, os_user, "
             "member, profile, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (device_id, minute, domain, action, category, os_user, member, profile) "
             "DO UPDATE SET count = count + excluded.count",
      db::use(deviceId_), db::use(minute_), db::use(domain_), db::use(action_), db::use(category_),
      db::use(osUser_), db::use(member_), db::use(profile_), db::use(count_);
}

void DnsMinuteRollup::add(const common::Event& event) {
  // Written again in the storage's own format, so that minutes compare as text.
  const auto minute = common::parseTimestamp(payloadText(event, "minute"));
  if (!minute) throw std::invalid_argument("a dns_decision event without a minute");
  minute_ = common::formatTimestamp(*minute);
  domain_ = payloadText(event, "domain");
  action_ = payloadText(event, "action");
  category_ = payloadText(event, "category");
  osUser_ = event.osUser;
  member_ = event.member;
  profile_ = event.profile;
  count_ = event.payload->getValue<Int64>("count");
  upsert_.execute();
}

std::vector<DnsMinuteRecord> selectDnsMinutes(Poco::Data::Session& session,
                                              const std::string& deviceId, Timestamp from,
                                              Timestamp to) {
  using Row = Poco::Tuple<std::string, std::string, std::string, std::string, std::string,
                          std::string, std::string, Int64>;
  std::vector<Row> rows;
  std::string device = deviceId;
  std::string first = common::formatTimestamp(from);
  std::string end = common::formatTimestamp(to);
  session << "SELECT minute, domain, action, category, os_user, member, profile, count "
             "FROM dns_minutes WHERE device_id = ? AND minute >= ? AND minute < ? "
             "ORDER BY minute, domain, action, category, os_user, member, profile",
      db::into(rows), db::use(device), db::use(first), db::use(end), db::now;
  std::vector<DnsMinuteRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    const auto minute = common::parseTimestamp(row.get<0>());
    if (!minute) {
      throw std::runtime_error("The collector database holds a minute it cannot read (\"" +
                               row.get<0>() + "\"); the file may be damaged.");
    }
    records.push_back({.deviceId = deviceId,
                       .minute = *minute,
                       .domain = row.get<1>(),
                       .action = row.get<2>(),
                       .category = row.get<3>(),
                       .osUser = row.get<4>(),
                       .member = row.get<5>(),
                       .profile = row.get<6>(),
                       .count = row.get<7>()});
  }
  return records;
}

std::size_t deleteDnsMinutesBefore(Poco::Data::Session& session, Timestamp cutoff) {
  std::string before = common::formatTimestamp(cutoff);
  Poco::Data::Statement statement(session);
  statement << "DELETE FROM dns_minutes WHERE minute < ?", db::use(before);
  return statement.execute();
}

}  // namespace clubsafe::collector
