#include "collector/http/console/csv.hpp"

namespace clubsafe::collector {
namespace {

bool startsFormula(std::string_view field) {
  if (field.empty()) return false;
  switch (field.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void appendField(std::string& out, std::string_view field) {
  const bool quoted = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quoted) out += '"';
  if (startsFormula(field)) out += '\'';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quoted) out += '"';
}

}  // namespace

void appendCsvRecord(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (const auto field : fields) {
    if (!first) out += ',';
    first = false;
    appendField(out, field);
  }
  out += "\r\n";
}

}  // namespace clubsafe::collector
