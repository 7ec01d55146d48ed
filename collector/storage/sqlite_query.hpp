#pragma once

// Helpers the SQLite stores share; not for code outside collector/storage.

#include "common/event.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace clubsafe::collector::sqlite {

using NullableText = Poco::Nullable<std::string>;

// Runs one statement, its parameters copied into it, and returns how many rows it changed.
template <typename... Params>
std::size_t execute(Poco::Data::Session& session, const std::string& sql, const Params&... params) {
  Poco::Data::Statement statement(session);
  statement << sql;
  (statement.addBind(Poco::Data::Keywords::bind(params)), ...);
  return statement.execute();
}

// Runs one statement and returns its rows; Row is a column type or a Poco::Tuple of them.
template <typename Row, typename... Params>
std::vector<Row> query(Poco::Data::Session& session, const std::string& sql,
                       const Params&... params) {
  std::vector<Row> rows;
  Poco::Data::Statement statement(session);
  statement << sql, Poco::Data::Keywords::into(rows);
  (statement.addBind(Poco::Data::Keywords::bind(params)), ...);
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

// The events table keeps times as milliseconds since 1970 UTC.
[[nodiscard]] inline Poco::Int64 storedMilliseconds(common::Timestamp time) {
  return time.time_since_epoch().count();
}
[[nodiscard]] inline common::Timestamp timeFromMilliseconds(Poco::Int64 milliseconds) {
  return common::Timestamp(std::chrono::milliseconds(milliseconds));
}

// Times are stored as common::formatTimestamp text, whose fixed width orders them as text.
[[nodiscard]] std::string text(common::Timestamp time);
[[nodiscard]] NullableText nullableText(const std::optional<common::Timestamp>& time);
// Throw std::runtime_error, calling the file damaged, when the text is not a time.
[[nodiscard]] common::Timestamp readTime(const std::string& stored);
[[nodiscard]] std::optional<common::Timestamp> readOptionalTime(const NullableText& stored);

}  // namespace clubsafe::collector::sqlite
