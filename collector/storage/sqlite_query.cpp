#include "collector/storage/sqlite_query.hpp"

#include "common/time.hpp"

#include <stdexcept>

namespace clubsafe::collector::sqlite {

std::string text(common::Timestamp time) {
  return common::formatTimestamp(time);
}

NullableText nullableText(const std::optional<common::Timestamp>& time) {
  return time ? NullableText(text(*time)) : NullableText();
}

common::Timestamp readTime(const std::string& stored) {
  const auto time = common::parseTimestamp(stored);
  if (!time) {
    throw std::runtime_error("The collector database holds a time it cannot read (\"" + stored +
                             "\"); the file may be damaged.");
  }
  return *time;
}

std::optional<common::Timestamp> readOptionalTime(const NullableText& stored) {
  if (stored.isNull()) return std::nullopt;
  return readTime(stored.value());
}

}  // namespace clubsafe::collector::sqlite
