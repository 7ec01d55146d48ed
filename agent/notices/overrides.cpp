#include "agent/notices/overrides.hpp"

#include "agent/dns/index_filter.hpp"
#include "agent/notices/notice_events.hpp"
#include "agent/platform/private_file.hpp"
#include "common/domain_index/domain_name.hpp"
#include "common/json_fields.hpp"
#include "common/notice_protocol.hpp"
#include "common/policy.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>

namespace clubsafe::agent::notices {

namespace di = common::domain_index;
namespace json = common::json;
using Scope = dns::Unlock::Scope;

namespace {

constexpr int kFileFormat = 1;
constexpr std::size_t kMinReasonLength = 3;
constexpr std::size_t kMaxFileBytes = std::size_t{256} * 1024;
constexpr std::size_t kMaxFileDepth = 4;

std::string_view scopeName(Scope scope) {
  return scope == Scope::Domain ? "domain" : "category";
}

std::optional<Scope> parseScope(std::string_view name) {
  if (name == "domain") return Scope::Domain;
  if (name == "category") return Scope::Category;
  return std::nullopt;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The name a worker typed, normalised, or OverrideError.
std::string domainOf(const std::string& typed) {
  const auto name = di::NormalisedName::from(trimmed(typed));
  if (!name.ok()) {
    throw OverrideError("\"" + typed +
                        "\" is not a website name that can be unlocked. Type just the site's "
                        "name, like example.com, without https:// or anything after it.");
  }
  if (name.view().find('.') == std::string_view::npos) {
    throw OverrideError("\"" + typed +
                        "\" is not a whole website name: it would unlock far too much. Type the "
                        "site's full name, like example.com.");
  }
  return std::string(name.view());
}

}  // namespace

Overrides::Overrides(const std::string& stateDir, dns::ProfileFilter& filter, WallClock clock)
    : file_((std::filesystem::path(stateDir) / kOverridesFileName).string()),
      filter_(filter),
      clock_(std::move(clock)) {
  const std::lock_guard lock(mutex_);
  load();
  dropExpired(clock_());
  putInForce();
}

void Overrides::load() {
  std::optional<std::string> text;
  try {
    text = platform::readFileIfExists(file_);
  } catch (const platform::FileError& error) {
    spdlog::error("{} Unlocks granted by workers before the agent started are not in force.",
                  error.what());
    return;
  }
  if (!text) return;
  try {
    if (text->size() > kMaxFileBytes) json::malformed("document", "too large");
    const auto root = json::parse(*text, kMaxFileDepth);
    const auto& object = json::object(root, "document");
    json::expectOnlyKeys(object, {"format", "overrides"}, "document");
    if (json::integer(json::field(object, "format", "document"), "format") != kFileFormat) {
      json::malformed("format", "not format 1");
    }
    const auto list = json::field(object, "overrides", "document");
    if (!json::isArray(list)) json::malformed("overrides", "expected an array");
    const auto& array = *list.extract<Poco::JSON::Array::Ptr>();
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < array.size() && i < kMaxActiveOverrides; ++i) {
      const auto where = "overrides[" + std::to_string(i) + "]";
      const auto& item = json::object(array.get(static_cast<unsigned>(i)), where);
      json::expectOnlyKeys(item, {"scope", "target", "until", "worker", "reason"}, where);
      const auto field = [&](const std::string& key, std::size_t maxBytes) {
        auto path = where;
        path.append(".").append(key);
        return json::string(json::field(item, key, where), path, maxBytes);
      };
      Entry entry;
      const auto scope = parseScope(field("scope", 10));
      if (!scope) json::malformed(where + ".scope", "not domain or category");
      entry.scope = *scope;
      entry.target = field("target", di::kMaxNameLength);
      if (entry.scope == Scope::Domain && domainOf(entry.target) != entry.target) {
        json::malformed(where + ".target", "not a normalised name");
      }
      const auto until = common::parseTimestamp(field("until", 40));
      if (!until) json::malformed(where + ".until", "not a time");
      entry.until = *until;
      entry.worker = field("worker", common::kMaxWorkerNameLength);
      entry.reason = field("reason", common::notice::kMaxReasonLength);
      entries.push_back(std::move(entry));
    }
    entries_ = std::move(entries);
  } catch (const std::exception& error) {  // FieldError, and OverrideError from domainOf
    spdlog::error(
        "The saved unlocks in {} are broken ({}), so none is in force. A worker can unlock "
        "again from the notice program.",
        file_, error.what());
  }
}

void Overrides::dropExpired(common::Timestamp now) {
  std::erase_if(entries_, [now](const Entry& entry) { return entry.until <= now; });
}

void Overrides::save(const std::vector<Entry>& entries) const {
  Poco::JSON::Array list;
  for (const auto& entry : entries) {
    Poco::JSON::Object item;
    item.set("scope", std::string(scopeName(entry.scope)));
    item.set("target", entry.target);
    item.set("until", common::formatTimestamp(entry.until));
    item.set("worker", entry.worker);
    item.set("reason", entry.reason);
    list.add(item);
  }
  Poco::JSON::Object document;
  document.set("format", kFileFormat);
  document.set("overrides", list);
  std::ostringstream text;
  document.stringify(text, 2);
  platform::writePrivateFile(file_, text.str() + "\n");
}

void Overrides::putInForce() {
  std::vector<dns::Unlock> unlocks;
  unlocks.reserve(entries_.size());
  for (const auto& entry : entries_) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(entry.until.time_since_epoch());
    unlocks.push_back({entry.scope, entry.target, seconds.count()});
  }
  filter_.setUnlocks(unlocks);
}

common::Event Overrides::grant(const Grant& grant, const std::string& osUser) {
  const auto scope = parseScope(grant.scope);
  if (!scope) throw OverrideError("Choose whether to unlock one website or one category.");
  if (grant.minutes < 1 || grant.minutes > common::notice::kMaxOverrideMinutes) {
    throw OverrideError("Choose how long to unlock it for: from 1 minute to " +
                        std::to_string(common::notice::kMaxOverrideMinutes / 60) + " hours (" +
                        std::to_string(common::notice::kMaxOverrideMinutes) + " minutes).");
  }
  const auto reason = std::string(trimmed(grant.reason));
  if (reason.size() < kMinReasonLength) {
    throw OverrideError(
        "Write a reason (at least 3 letters), so the club can see later why this was unlocked.");
  }
  if (reason.size() > common::notice::kMaxReasonLength) {
    throw OverrideError("The reason is too long: keep it under " +
                        std::to_string(common::notice::kMaxReasonLength) + " letters.");
  }
  // A name the policy would refuse would also make the saved file unreadable.
  if (grant.worker.empty() || grant.worker.size() > common::kMaxWorkerNameLength) {
    throw OverrideError("Sign in with your staff PIN before unlocking anything.");
  }

  Entry entry{*scope, {}, {}, grant.worker, reason};
  const auto inForce = filter_.inForce();
  const auto* index = inForce.policy ? inForce.policy->index().get() : nullptr;
  if (entry.scope == Scope::Domain) {
    entry.target = domainOf(grant.target);
    if (index != nullptr) {
      const auto match = index->lookup(entry.target);
      if (((match.categories | match.overridden) & inForce.policy->alwaysBlocked()).any()) {
        throw OverrideError(
            "This site can't be unlocked: it is in a category the law requires us to block.");
      }
    }
  } else {
    entry.target = std::string(trimmed(grant.target));
    if (common::isAlwaysBlockedCategory(entry.target)) {
      throw OverrideError("This category can't be unlocked: the law requires us to block it.");
    }
    if (index == nullptr || !index->findCategory(entry.target)) {
      throw OverrideError("The lists on this laptop have no category called \"" + entry.target +
                          "\". Choose the category the block message named.");
    }
  }

  const std::lock_guard lock(mutex_);
  const auto now = clock_();
  entry.until = now + std::chrono::minutes(grant.minutes);
  auto entries = entries_;
  std::erase_if(entries, [now, &entry](const Entry& old) {
    return old.until <= now || (old.scope == entry.scope && old.target == entry.target);
  });
  if (entries.size() >= kMaxActiveOverrides) {
    throw OverrideError("There are already " + std::to_string(kMaxActiveOverrides) +
                        " unlocks on this laptop. Wait for one to end before adding another.");
  }
  entries.push_back(entry);
  try {
    save(entries);
  } catch (const platform::FileError& error) {
    spdlog::error("{} The unlock of {} was refused.", error.what(), entry.target);
    throw OverrideError(
        "The unlock could not be saved on this laptop, so it was not made. Try again; if it "
        "keeps failing, tell the club's manager.");
  }
  entries_ = std::move(entries);
  putInForce();
  // Who and why go in the event only.
  spdlog::info("A worker unlocked the {} {} for {} minutes.", scopeName(entry.scope), entry.target,
               grant.minutes);
  return overrideEvent(osUser, std::string(scopeName(entry.scope)), entry.target, grant.minutes,
                       reason, entry.worker);
}

std::vector<ActiveOverride> Overrides::active() const {
  const std::lock_guard lock(mutex_);
  const auto now = clock_();
  std::vector<ActiveOverride> active;
  for (const auto& entry : entries_) {
    if (entry.until > now) {
      active.push_back(
          {std::string(scopeName(entry.scope)), entry.target, entry.until, entry.worker});
    }
  }
  std::sort(active.begin(), active.end(),
            [](const ActiveOverride& a, const ActiveOverride& b) { return a.until < b.until; });
  return active;
}

}  // namespace clubsafe::agent::notices
