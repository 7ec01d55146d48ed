#pragma once

#include "agent/outbox/sqlite.hpp"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

// The outbox's words: what a failed SQLite call means for the person at the laptop, and what
// the gap event says.
namespace clubsafe::agent::outbox {

// What went wrong `doing` something with the outbox file at `path`, and what to do about it.
[[nodiscard]] std::string describeFailure(const std::string& path, const SqliteError& error,
                                          std::string_view doing);

// "200 MB", or the bytes when not whole megabytes.
[[nodiscard]] std::string describeCap(std::int64_t bytes);

// The outbox_gap payload counting `dropped` (by type name) since the outbox reached `limit`.
[[nodiscard]] Poco::JSON::Object::Ptr gapPayload(const std::map<std::string, std::int64_t>& dropped,
                                                 const std::string& limit);

}  // namespace clubsafe::agent::outbox
