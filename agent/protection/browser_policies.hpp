#pragma once

#include "agent/dns/safe_search.hpp"
#include "agent/platform/browser_policy.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "agent/sources/source.hpp"
#include "agent/sources/source_scheduler.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <mutex>
#include <vector>

namespace clubsafe::agent::protection {

// The managed policies the agent gives each kind of browser (docs/DNS.md, "Browser policies"):
// the browser's own DNS-over-HTTPS off, so names go through the DNS filter; private windows off;
// Google safe search and YouTube restricted mode forced at `level` (nothing forced when off).
[[nodiscard]] Poco::JSON::Object::Ptr chromiumPolicies(dns::SafeSearchLevel level);
[[nodiscard]] Poco::JSON::Object::Ptr firefoxPolicies(dns::SafeSearchLevel level);

// Keeps those policies in the browsers' managed-policy files (F4, F5). A file someone removed
// or changed is put back at the next poll and reported as a tamper event. Policies of other
// names in the same file (a club's own Firefox settings in policies.json) are kept. Safe to
// poll from the scheduler and a BrowserPolicyWatcher at once.
class BrowserPolicyGuard : public sources::Source {
 public:
  BrowserPolicyGuard(std::vector<platform::BrowserPolicyFile> files, dns::SafeSearchLevel level,
                     std::chrono::milliseconds interval);

  // Writes every file that lacks the policies, without reporting it: before the agent's first
  // start they are missing, and after a change of filter.safe_search they differ. Returns how
  // many files it wrote; a file that cannot be written is logged and tried again at each poll.
  std::size_t install();

  // Takes the policies out again (for uninstalling), removing files left with nothing else.
  void remove();

  [[nodiscard]] std::string_view name() const override { return "browser policies"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  // Puts back what was removed or changed since the last look: one tamper event per file.
  [[nodiscard]] std::vector<common::Event> poll() override;

  [[nodiscard]] const std::vector<platform::BrowserPolicyFile>& files() const { return files_; }

 private:
  enum class FileState { InPlace, Missing, Changed };
  struct Look {
    FileState state = FileState::InPlace;
    Poco::JSON::Object::Ptr document;  // the file as it is when it can be read as JSON
    std::string changedPolicy;         // the first of ours with another value, or empty
  };

  [[nodiscard]] Look look(const platform::BrowserPolicyFile& file) const;
  void write(const platform::BrowserPolicyFile& file, const Look& found) const;
  [[nodiscard]] const Poco::JSON::Object::Ptr& policiesFor(platform::PolicyFormat format) const;

  std::vector<platform::BrowserPolicyFile> files_;
  Poco::JSON::Object::Ptr chromium_;
  Poco::JSON::Object::Ptr firefox_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;  // one look-and-write at a time
};

// Puts the policies back within a moment of a change to a policy folder (inotify), between the
// scheduler's polls: run() on a thread of its own until stop(). The tamper events go to the
// scheduler's outbox like those of its polls.
class BrowserPolicyWatcher {
 public:
  // Throws platform::FileError when the folders cannot be watched.
  BrowserPolicyWatcher(BrowserPolicyGuard& guard, sources::SourceScheduler& scheduler);

  // The longest wait of run(): it lets a folder made since (a browser installed) be watched;
  // the scheduler's polls look at the files anyway.
  static constexpr std::chrono::minutes kRewatch{1};

  void run();
  void stop() { waiter_.stop(); }
  // Beaten at every turn of run(), whose waits last at most kRewatch.
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  BrowserPolicyGuard& guard_;
  sources::SourceScheduler& scheduler_;
  platform::PolicyChangeWaiter waiter_;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::protection
