#pragma once

#include "common/event.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

// Strict reading of JSON from outside (a device's batch, the notice program's messages): each
// check throws FieldError naming the path of the field ("batch.events[3].seq") and the problem.
namespace clubsafe::common::json {

// what() is "<where>: <problem>"; each part is also kept, for callers with their own error type.
class FieldError : public std::runtime_error {
 public:
  enum class Kind { Malformed, TooLarge };
  FieldError(Kind kind, const std::string& where, const std::string& problem)
      : std::runtime_error(where + ": " + problem), kind_(kind), where_(where), problem_(problem) {}
  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  Kind kind_;
  std::string where_;
  std::string problem_;
};

[[noreturn]] void malformed(const std::string& where, const std::string& problem);

// The document parsed with nesting limited to `maxDepth`; "document: not valid JSON (...)".
[[nodiscard]] Poco::Dynamic::Var parse(std::string_view text, std::size_t maxDepth);

[[nodiscard]] bool isObject(const Poco::Dynamic::Var& value);
[[nodiscard]] bool isArray(const Poco::Dynamic::Var& value);

// The object in `value`, or FieldError "expected an object".
[[nodiscard]] const Poco::JSON::Object& object(const Poco::Dynamic::Var& value,
                                               const std::string& where);
void expectOnlyKeys(const Poco::JSON::Object& object, const std::set<std::string_view>& allowed,
                    const std::string& where);
[[nodiscard]] Poco::Dynamic::Var field(const Poco::JSON::Object& object, const std::string& key,
                                       const std::string& where);
// A string of at most `maxBytes` bytes (TooLarge past it).
[[nodiscard]] std::string string(const Poco::Dynamic::Var& value, const std::string& where,
                                 std::size_t maxBytes);
[[nodiscard]] std::int64_t integer(const Poco::Dynamic::Var& value, const std::string& where);
// That `value` is of `kind`, its strings (or each string of a list) at most `maxBytes`.
void checkKind(const Poco::Dynamic::Var& value, FieldKind kind, const std::string& where,
               std::size_t maxBytes);

}  // namespace clubsafe::common::json
