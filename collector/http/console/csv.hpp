#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace clubsafe::collector {

// Appends one CSV record (RFC 4180: fields with a comma, quote or line break in double quotes,
// quotes doubled; CRLF after the record). A field starting with = + - @, a tab or a carriage
// return gets a leading apostrophe, so a spreadsheet shows it as text instead of running it
// as a formula (CSV injection): the events' titles, URLs and search terms are typed by anyone.
void appendCsvRecord(std::string& out, std::initializer_list<std::string_view> fields);

}  // namespace clubsafe::collector
