#include "common/json_fields.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace clubsafe::common::json {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

void malformed(const std::string& where, const std::string& problem) {
  throw FieldError(FieldError::Kind::Malformed, where, problem);
}

Var parse(std::string_view text, std::size_t maxDepth) {
  Poco::JSON::Parser parser;
  parser.setDepth(maxDepth);
  try {
    return parser.parse(std::string(text));
  } catch (const Poco::Exception& error) {
    malformed("document", "not valid JSON (" + error.message() + ")");
  } catch (const std::exception& error) {
    malformed("document", std::string("not valid JSON (") + error.what() + ")");
  }
}

bool isObject(const Var& value) { return value.type() == typeid(Object::Ptr); }
bool isArray(const Var& value) { return value.type() == typeid(Array::Ptr); }

const Object& object(const Var& value, const std::string& where) {
  if (!isObject(value)) malformed(where, "expected an object");
  const auto& pointer = value.extract<Object::Ptr>();
  if (pointer.isNull()) malformed(where, "expected an object");
  return *pointer;
}

void expectOnlyKeys(const Object& object, const std::set<std::string_view>& allowed,
                    const std::string& where) {
  for (const auto& [key, value] : object) {
    if (!allowed.contains(key)) malformed(where, "unexpected field \"" + key + "\"");
  }
}

Var field(const Object& object, const std::string& key, const std::string& where) {
  if (!object.has(key)) malformed(where, "missing field \"" + key + "\"");
  return object.get(key);
}

std::string string(const Var& value, const std::string& where, std::size_t maxBytes) {
  if (!value.isString()) malformed(where, "expected a string");
  auto text = value.extract<std::string>();
  if (text.size() > maxBytes) {
    throw FieldError(FieldError::Kind::TooLarge, where,
                     "text longer than " + std::to_string(maxBytes) + " bytes");
  }
  return text;
}

std::int64_t integer(const Var& value, const std::string& where) {
  if (!value.isInteger() || value.isBoolean()) malformed(where, "expected a whole number");
  try {
    return value.convert<std::int64_t>();
  } catch (const Poco::Exception&) {
    malformed(where, "number out of range");
  }
}

void checkKind(const Var& value, FieldKind kind, const std::string& where, std::size_t maxBytes) {
  switch (kind) {
    case FieldKind::String: (void)string(value, where, maxBytes); break;
    case FieldKind::Integer: (void)integer(value, where); break;
    case FieldKind::Boolean:
      if (!value.isBoolean()) malformed(where, "expected true or false");
      break;
    case FieldKind::StringArray: {
      if (!isArray(value)) malformed(where, "expected a list of strings");
      const auto& items = *value.extract<Array::Ptr>();
      for (std::size_t i = 0; i < items.size(); ++i) {
        (void)string(items.get(static_cast<unsigned>(i)), where + "[" + std::to_string(i) + "]",
                     maxBytes);
      }
      break;
    }
    case FieldKind::Object: (void)object(value, where); break;
  }
}

}  // namespace clubsafe::common::json
