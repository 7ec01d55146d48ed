#include "agent/protection/browser_policies.hpp"

#include "agent/platform/private_file.hpp"
#include "agent/protection/tamper_event.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

namespace clubsafe::agent::protection {
namespace {

using platform::PolicyFormat;

// Chromium's IncognitoModeAvailability: 1 is "Incognito mode disabled".
constexpr int kIncognitoDisabled = 1;
// Chromium's ForceYouTubeRestrict: 1 moderate, 2 strict.
constexpr int kYouTubeModerate = 1;
constexpr int kYouTubeStrict = 2;
// Firefox's PrivateBrowsingModeAvailability (Firefox 130, ESR 128.3): 1 is "not available".
// Older versions ignore it and obey DisablePrivateBrowsing, which newer ones still accept.
constexpr int kPrivateBrowsingUnavailable = 1;
// The object inside Firefox's policies.json that holds the policies.
constexpr const char* kFirefoxPolicies = "policies";

std::string json(const Poco::Dynamic::Var& value, unsigned indent = 0) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, indent);
  return out.str();
}

// The object that holds policy names in a file of `format`, made when missing; nullptr when
// the document has something else where it should be.
Poco::JSON::Object::Ptr policyObject(Poco::JSON::Object::Ptr document, PolicyFormat format) {
  if (format == PolicyFormat::Chromium) return document;
  if (!document->has(kFirefoxPolicies)) {
    document->set(kFirefoxPolicies, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
  }
  return document->getObject(kFirefoxPolicies);
}

}  // namespace

Poco::JSON::Object::Ptr chromiumPolicies(dns::SafeSearchLevel level) {
  Poco::JSON::Object::Ptr policies = new Poco::JSON::Object;
  policies->set("DnsOverHttpsMode", "off");
  // The system's resolver (the DNS filter) rather than Chromium's own DNS client, which could
  // be pointed elsewhere by a flag.
  policies->set("BuiltInDnsClientEnabled", false);
  policies->set("IncognitoModeAvailability", kIncognitoDisabled);
  // A guest window keeps no history either: the same way round the policy as incognito.
  policies->set("BrowserGuestModeEnabled", false);
  // A proxy (a SOCKS proxy resolves names itself) or an extension (a VPN, a proxy switcher)
  // would take the browser's traffic past the filter; with the policies set, neither the
  // settings page nor a --proxy-server flag can change them.
  Poco::JSON::Object::Ptr proxy = new Poco::JSON::Object;
  proxy->set("ProxyMode", "direct");
  policies->set("ProxySettings", proxy);
  Poco::JSON::Array::Ptr everyExtension = new Poco::JSON::Array;
  everyExtension->add("*");
  policies->set("ExtensionInstallBlocklist", everyExtension);
  if (level != dns::SafeSearchLevel::Off) {
    policies->set("ForceGoogleSafeSearch", true);
    policies->set("ForceYouTubeRestrict",
                  level == dns::SafeSearchLevel::Strict ? kYouTubeStrict : kYouTubeModerate);
  }
  return policies;
}

Poco::JSON::Object::Ptr firefoxPolicies(dns::SafeSearchLevel /*level*/) {
  // Firefox has no policy for Google safe search or YouTube restricted mode. Both come from the
  // DNS filter's answers (forcesafesearch.google.com, restrict.youtube.com), which reach
  // Firefox because this policy keeps it on the system resolver, locked.
  Poco::JSON::Object::Ptr doh = new Poco::JSON::Object;
  doh->set("Enabled", false);
  doh->set("Locked", true);
  Poco::JSON::Object::Ptr policies = new Poco::JSON::Object;
  policies->set("DNSOverHTTPS", doh);
  // As for Chromium: no proxy, and no add-on installed, since either could take the traffic
  // past the filter.
  Poco::JSON::Object::Ptr proxy = new Poco::JSON::Object;
  proxy->set("Mode", "none");
  proxy->set("Locked", true);
  policies->set("Proxy", proxy);
  Poco::JSON::Object::Ptr blocked = new Poco::JSON::Object;
  blocked->set("installation_mode", "blocked");
  Poco::JSON::Object::Ptr extensions = new Poco::JSON::Object;
  extensions->set("*", blocked);
  policies->set("ExtensionSettings", extensions);
  policies->set("DisablePrivateBrowsing", true);
  policies->set("PrivateBrowsingModeAvailability", kPrivateBrowsingUnavailable);
  return policies;
}

BrowserPolicyGuard::BrowserPolicyGuard(std::vector<platform::BrowserPolicyFile> files,
                                       dns::SafeSearchLevel level,
                                       std::chrono::milliseconds interval)
    : files_(std::move(files)),
      chromium_(chromiumPolicies(level)),
      firefox_(firefoxPolicies(level)),
      interval_(interval) {}

const Poco::JSON::Object::Ptr& BrowserPolicyGuard::policiesFor(PolicyFormat format) const {
  return format == PolicyFormat::Chromium ? chromium_ : firefox_;
}

BrowserPolicyGuard::Look BrowserPolicyGuard::look(const platform::BrowserPolicyFile& file) const {
  const auto text = platform::readFileIfExists(file.path);
  if (!text) return {FileState::Missing, nullptr, {}};
  Look found{FileState::Changed, nullptr, {}};
  try {
    found.document = Poco::JSON::Parser().parse(*text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return found;  // not JSON, or not an object: replaced whole
  }
  if (found.document.isNull()) return found;
  if (file.format == PolicyFormat::Firefox && found.document->has(kFirefoxPolicies) &&
      found.document->getObject(kFirefoxPolicies).isNull()) {
    found.document = nullptr;  // "policies" is not an object
    return found;
  }
  const auto present = policyObject(found.document, file.format);
  for (const auto& [policy, value] : *policiesFor(file.format)) {
    if (!present->has(policy) || json(present->get(policy)) != json(value)) {
      found.changedPolicy = policy;
      return found;
    }
  }
  found.state = FileState::InPlace;
  return found;
}

void BrowserPolicyGuard::write(const platform::BrowserPolicyFile& file, const Look& found) const {
  Poco::JSON::Object::Ptr document =
      found.document.isNull() ? Poco::JSON::Object::Ptr(new Poco::JSON::Object) : found.document;
  auto target = policyObject(document, file.format);
  for (const auto& [policy, value] : *policiesFor(file.format)) target->set(policy, value);
  platform::writeSystemFile(file.path, json(document, 2) + "\n");
}

std::size_t BrowserPolicyGuard::install() {
  const std::lock_guard lock(mutex_);
  std::size_t written = 0;
  for (const auto& file : files_) {
    try {
      const auto found = look(file);
      if (found.state == FileState::InPlace) continue;
      write(file, found);
      ++written;
    } catch (const platform::FileError& error) {
      spdlog::warn(
          "{}'s managed policies could not be installed: {} The agent tries again "
          "every {} seconds.",
          file.browser, error.what(),
          std::chrono::duration_cast<std::chrono::seconds>(interval_).count());
    }
  }
  return written;
}

std::vector<common::Event> BrowserPolicyGuard::poll() {
  const std::lock_guard lock(mutex_);
  std::vector<common::Event> events;
  for (const auto& file : files_) {
    try {
      const auto found = look(file);
      if (found.state == FileState::InPlace) continue;
      write(file, found);
      if (found.state == FileState::Missing) {
        events.push_back(tamperEvent("browser_policy_removed",
                                     file.browser + "'s managed policy file " + file.path +
                                         " had been removed; the agent put it back."));
      } else {
        events.push_back(tamperEvent(
            "browser_policy_changed",
            file.browser + "'s managed policy file " + file.path + " had been changed (" +
                (found.changedPolicy.empty() ? std::string("it was not valid JSON")
                                             : found.changedPolicy) +
                "); the agent put the club's policy back."));
      }
      spdlog::warn("{}", events.back().payload->getValue<std::string>("detail"));
    } catch (const platform::FileError& error) {
      spdlog::warn("{}'s managed policies could not be checked or put back: {}", file.browser,
                   error.what());
    }
  }
  return events;
}

void BrowserPolicyGuard::remove() {
  const std::lock_guard lock(mutex_);
  for (const auto& file : files_) {
    try {
      const auto found = look(file);
      if (found.state == FileState::Missing || found.document.isNull()) continue;
      auto present = policyObject(found.document, file.format);
      for (const auto& [policy, value] : *policiesFor(file.format)) present->remove(policy);
      const bool onlyOurs =
          present->size() == 0 &&
          found.document->size() == (file.format == PolicyFormat::Firefox ? 1U : 0U);
      if (onlyOurs) {
        std::filesystem::remove(file.path);
      } else {
        platform::writeSystemFile(file.path, json(found.document, 2) + "\n");
      }
    } catch (const platform::FileError& error) {
      spdlog::warn("{}'s managed policies could not be removed: {}", file.browser, error.what());
    } catch (const std::filesystem::filesystem_error& error) {
      spdlog::warn("{}'s managed policy file could not be removed: {}", file.browser, error.what());
    }
  }
}

BrowserPolicyWatcher::BrowserPolicyWatcher(BrowserPolicyGuard& guard,
                                           sources::SourceScheduler& scheduler)
    : guard_(guard), scheduler_(scheduler), waiter_(guard.files()) {}

void BrowserPolicyWatcher::run() {
  using Wake = platform::PolicyChangeWaiter::Wake;
  for (;;) {
    heartbeat_.beat();
    switch (waiter_.wait(kRewatch)) {
      case Wake::Stopped:
        return;
      case Wake::Changed:
        scheduler_.pollAndSave(guard_);
        break;
      case Wake::Timeout:
        break;
    }
  }
}

}  // namespace clubsafe::agent::protection
