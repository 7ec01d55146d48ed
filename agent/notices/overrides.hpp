#pragma once

#include "agent/dns/profile_filter.hpp"
#include "common/event.hpp"
#include "common/time.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// F7: a worker unlocks one site or one category on this laptop for a while (docs/NOTICES.md,
// "Worker override"). The unlocks are the laptop's, whoever is signed in; they expire by
// themselves, survive a restart of the agent and keep their expiry when the policy changes.
namespace clubsafe::agent::notices {

// What a worker asks for, after signing in with their PIN.
struct Grant {
  std::string scope;  // "domain" or "category"
  // domain: a name such as example.com, which covers its subdomains (www.example.com) but not
  // its parent; category: the name of a category of the lists in force, as a block shows it.
  std::string target;
  std::int64_t minutes = 0;  // 1 to common::notice::kMaxOverrideMinutes
  std::string reason;        // 3 to common::notice::kMaxReasonLength characters
  std::string worker;        // the name the PIN belongs to (WorkerPins::check)
};

// A refused grant; what() is in plain words for the worker, and says what to do instead.
class OverrideError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ActiveOverride {
  std::string scope;  // "domain" or "category"
  std::string target;
  common::Timestamp until{};
  std::string worker;
};

inline constexpr std::size_t kMaxActiveOverrides = 20;
inline constexpr std::string_view kOverridesFileName = "overrides.json";

// The unlocks of this laptop, kept in the state directory (kOverridesFileName, mode 0600) and put
// in force in `filter`. Any thread may call it.
class Overrides {
 public:
  using WallClock = std::function<common::Timestamp()>;

  // Loads the saved unlocks that have not expired (a broken file is logged and ignored) and puts
  // them in force.
  Overrides(const std::string& stateDir, dns::ProfileFilter& filter,
            WallClock clock = common::nowUtc);
  Overrides(const Overrides&) = delete;
  Overrides& operator=(const Overrides&) = delete;

  // Checks `grant` against the rules and the lists in force, saves it and puts it in force (in
  // place of an unlock of the same target), and returns the override event for the outbox.
  // Throws OverrideError, changing nothing, when it breaks a rule or cannot be saved.
  [[nodiscard]] common::Event grant(const Grant& grant, const std::string& osUser);

  // The unlocks that have not expired, the soonest to end first.
  [[nodiscard]] std::vector<ActiveOverride> active() const;

 private:
  struct Entry {
    dns::Unlock::Scope scope = dns::Unlock::Scope::Domain;
    std::string target;
    common::Timestamp until{};
    std::string worker;
    std::string reason;
  };

  // With mutex_ held.
  void load();
  void dropExpired(common::Timestamp now);
  void save(const std::vector<Entry>& entries) const;
  void putInForce();

  std::string file_;
  dns::ProfileFilter& filter_;
  WallClock clock_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace clubsafe::agent::notices
