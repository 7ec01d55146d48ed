#include "agent/status/status_report.hpp"

#include "agent/enrolment/credentials.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/policy/policy_files.hpp"
#include "common/policy.hpp"
#include "common/time.hpp"

#include <filesystem>
#include <sstream>

namespace clubsafe::agent::status {
namespace {

std::string plural(std::int64_t count, const std::string& unit) {
  return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
}

std::string when(common::Timestamp time, common::Timestamp now) {
  return common::formatTimestamp(time) + ", " +
         describeAge(std::chrono::duration_cast<std::chrono::milliseconds>(now - time)) + " ago";
}

// A stored time with how long ago it was; the raw text if it is not a time.
std::string whenStored(const std::string& text, common::Timestamp now) {
  const auto time = common::parseTimestamp(text);
  return time ? when(*time, now) : text;
}

void describeOutbox(std::ostream& out, const std::string& stateDir, common::Timestamp now) {
  const auto path = outbox::outboxPath(stateDir);
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) {
    out << "Events waiting to be sent: none (the agent has not run yet, there is no outbox at "
        << path << ").\n";
    return;
  }
  outbox::Outbox outbox(path, outbox::Outbox::Access::ReadOnly);
  const auto depth = outbox.depth();
  if (depth == 0) {
    out << "Events waiting to be sent: none.\n";
  } else {
    out << "Events waiting to be sent: " << depth;
    if (const auto oldest = outbox.oldestPendingTime()) {
      out << ", the oldest recorded " << when(*oldest, now);
    }
    out << ".\n";
  }
  const auto success = outbox.meta(outbox::kLastUploadSuccess);
  out << "Last successful upload: " << (success ? whenStored(*success, now) : "never") << ".\n";
  const auto lastError = outbox.meta(outbox::kLastError);
  const auto lastErrorTime = outbox.meta(outbox::kLastErrorTime);
  if (lastError) {
    out << "Last error";
    if (lastErrorTime) out << " (" << whenStored(*lastErrorTime, now) << ")";
    out << ": " << *lastError << "\n";
  } else {
    out << "Last error: none.\n";
  }
}

// The policy the agent caches as it puts it in force. A member signed in may have another
// profile of it; only the running agent knows.
void describePolicy(std::ostream& out, const std::string& stateDir) {
  const auto path = policy::policyPath(stateDir);
  out << "Filtering policy: ";
  try {
    const auto text = platform::readFileIfExists(path);
    if (!text) {
      out << "none from the collector yet; the built-in profile (filter.* settings) applies.\n";
      return;
    }
    const auto cached = common::parsePolicy(*text);
    const auto* profile = cached.findProfile(cached.defaultProfile);
    out << "version " << cached.version << " from the collector; profile \"" << profile->id
        << "\" (" << profile->name << ") applies when nobody has signed in"
        << (cached.index ? "" : "; no filter lists imported yet") << ".\n";
  } catch (const platform::FileError& error) {
    out << error.what() << "\n";
  } catch (const common::PolicyError& error) {
    out << "the cached " << path << " is broken (" << error.what()
        << "); the built-in profile applies until the collector sends a policy.\n";
  }
}

}  // namespace

std::string describeAge(std::chrono::milliseconds age) {
  using namespace std::chrono;
  const auto seconds = std::max<std::int64_t>(duration_cast<std::chrono::seconds>(age).count(), 0);
  if (seconds < 60) return plural(seconds, "second");
  if (seconds < 3600) return plural(seconds / 60, "minute");
  if (seconds < 2 * 86400) return plural(seconds / 3600, "hour");
  return plural(seconds / 86400, "day");
}

std::string statusReport(const std::string& stateDir, common::Timestamp now) {
  std::ostringstream out;
  if (const auto credentials = enrolment::readCredentials(enrolment::credentialsPath(stateDir))) {
    out << "Enrolled: yes, as device " << credentials->deviceId << " with the collector at "
        << credentials->serverUrl << ".\n";
  } else {
    out << "Enrolled: no. Run clubsafe-agent enrol with the command the console's Enrol page "
           "shows.\n";
  }
  describePolicy(out, stateDir);
  describeOutbox(out, stateDir, now);
  return out.str();
}

}  // namespace clubsafe::agent::status
