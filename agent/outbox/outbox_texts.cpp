#include "agent/outbox/outbox_texts.hpp"

namespace clubsafe::agent::outbox {

std::string describeFailure(const std::string& path, const SqliteError& error,
                            std::string_view doing) {
  const std::string detail = " (" + std::string(error.what()) + ")";
  switch (error.code()) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "The outbox file " + path + " is damaged" + detail +
             ". Stop the agent, move the file aside (events still in it will not be sent) and "
             "start the agent again: it makes a new, empty outbox.";
    case SQLITE_FULL:
      return "The disk holding the outbox file " + path + " is full" + detail +
             ". Free some space: new events cannot be saved until then.";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "The outbox file " + path + " cannot be written" + detail +
             ". Check that the agent runs as root and that its state directory is writable.";
    default:
      return "The outbox file " + path + " failed while " + std::string(doing) + detail + ".";
  }
}

std::string describeCap(std::int64_t bytes) {
  constexpr std::int64_t kMegabyte = std::int64_t{1024} * 1024;
  if (bytes % kMegabyte == 0) return std::to_string(bytes / kMegabyte) + " MB";
  return std::to_string(bytes) + " bytes";
}

Poco::JSON::Object::Ptr gapPayload(const std::map<std::string, std::int64_t>& dropped,
                                   const std::string& limit) {
  std::int64_t total = 0;
  std::string counts;
  for (const auto& [type, count] : dropped) {
    total += count;
    counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + type;
  }
  Poco::JSON::Object::Ptr payload = new Poco::JSON::Object;
  payload->set("dropped", static_cast<Poco::Int64>(total));
  payload->set("reason", "The outbox reached " + limit +
                             " while events waited, so these were dropped (the oldest of the "
                             "lowest priority first): " +
                             counts + ".");
  return payload;
}

}  // namespace clubsafe::agent::outbox
