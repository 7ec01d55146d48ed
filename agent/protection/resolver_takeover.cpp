#include "agent/protection/resolver_takeover.hpp"

#include "agent/dns/dns_settings.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/protection/resolv_conf_link.hpp"
#include "agent/protection/tamper_event.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

namespace clubsafe::agent::protection {
namespace {

using platform::ResolverManager;

constexpr const char* kStateFile = "resolver-previous.json";
constexpr int kStateFormat = 1;

// The lines of a resolv.conf that say how names are looked up rather than where: kept, so
// short names in the club's own domain still work through the filter.
std::string lookupLines(const std::string& resolvConf) {
  std::string kept;
  std::istringstream lines(resolvConf);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string keyword;
    words >> keyword;
    if (keyword == "search" || keyword == "domain" || keyword == "options") kept += line + "\n";
  }
  return kept;
}

std::string readOrEmpty(const std::string& path) {
  return platform::readFileIfExists(path).value_or("");
}

bool exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::symlink_status(path, error).type() !=
         std::filesystem::file_type::not_found;
}

std::string listed(const std::vector<dns::Endpoint>& servers) {
  std::string text;
  for (const auto& server : servers) text += (text.empty() ? "" : ", ") + server.text();
  return text;
}

}  // namespace

std::string resolverStatePath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / kStateFile).string();
}

ResolverTakeover::ResolverTakeover(const std::string& root, const std::string& stateDir,
                                   std::string listenAddress, platform::ResolverServices& services,
                                   std::chrono::milliseconds interval)
    : paths_(platform::resolverPaths(root)),
      statePath_(resolverStatePath(stateDir)),
      listenAddress_(std::move(listenAddress)),
      services_(services),
      interval_(interval) {}

std::string ResolverTakeover::ourResolvConf() const {
  return std::string(kAgentResolvConfHeader) +
         ": names are looked up through the club's DNS filter.\n"
         "# The system's own file is " +
         paths_.resolvConfBackup +
         " and comes back when the agent stops.\n"
         "nameserver " +
         listenAddress_ + "\n" + keptLines_;
}

std::string ResolverTakeover::ourDropIn() const {
  if (manager_ == ResolverManager::SystemdResolved) {
    // Domains=~. sends every name to this server rather than to the network's own.
    return std::string(kAgentResolvConfHeader) +
           ": systemd-resolved sends every name to the club's DNS filter.\n"
           "# Removed, and resolved restarted, when the agent stops.\n"
           "[Resolve]\nDNS=" +
           listenAddress_ + "\nDomains=~.\n";
  }
  // rc-manager=unmanaged rather than dns=none: NetworkManager keeps tracking the network's
  // resolvers in /run/NetworkManager, which the agent follows, but leaves resolv.conf alone.
  // dns=default so that it starts no dnsmasq of its own on the filter's address.
  return std::string(kAgentResolvConfHeader) +
         ": NetworkManager leaves /etc/resolv.conf to the agent, which points it at the club's\n"
         "# DNS filter. Removed when the agent stops.\n"
         "[main]\ndns=default\nrc-manager=unmanaged\n";
}

const std::string* ResolverTakeover::dropInPath() const {
  switch (manager_) {
    case ResolverManager::SystemdResolved:
      return &paths_.resolvedDropIn;
    case ResolverManager::NetworkManager:
      return &paths_.networkManagerDropIn;
    case ResolverManager::File:
      return nullptr;
  }
  return nullptr;
}

void ResolverTakeover::remember() {
  if (remembered_) return;
  try {
    readSystemOrState();
  } catch (const platform::FileError& error) {
    throw ResolverError(std::string("The agent could not note this laptop's own resolvers: ") +
                        error.what() + " The system's resolver settings were not changed.");
  }
  remembered_ = true;
}

void ResolverTakeover::readSystemOrState() {
  if (const auto saved = platform::readFileIfExists(statePath_)) {
    // A run that did not stop cleanly left the system pointing at the filter: what it
    // remembered is all that is left of the system's own resolvers.
    try {
      const auto state = Poco::JSON::Parser().parse(*saved).extract<Poco::JSON::Object::Ptr>();
      const auto manager = platform::parseResolverManager(state->getValue<std::string>("manager"));
      if (state->getValue<int>("format") != kStateFormat || !manager) {
        throw Poco::DataException("unknown format or manager");
      }
      manager_ = *manager;
      upstreamSource_ = state->getValue<std::string>("upstream_source");
      keptLines_ = state->getValue<std::string>("kept_lines");
    } catch (const Poco::Exception& error) {
      throw ResolverError(statePath_ + " cannot be read (" + error.displayText() +
                          "). Put the system's resolver back by hand (mv " +
                          paths_.resolvConfBackup + " " + paths_.resolvConf +
                          "), delete that file, and start the agent again.");
    }
    linkResolvConf(paths_);
    return;
  }
  // From here the backup is the system's own file, whoever made the link (the service's start
  // step, or this when the agent runs by hand).
  linkResolvConf(paths_);
  if (!exists(paths_.resolvConfBackup) && isAgentsResolvConf(readOrEmpty(paths_.agentResolvConf))) {
    throw systemResolvConfLost(paths_);  // the state file and the backup deleted by hand
  }
  auto originalPaths = paths_;
  originalPaths.resolvConf = paths_.resolvConfBackup;
  manager_ = platform::detectResolverManager(originalPaths);
  const auto originalText = readOrEmpty(paths_.resolvConfBackup);
  upstreamSource_ = manager_ == ResolverManager::SystemdResolved
                        ? readOrEmpty(paths_.resolvedUpstreams)
                        : originalText;
  keptLines_ = lookupLines(originalText);
  save();
}

void ResolverTakeover::save() const {
  Poco::JSON::Object state;
  state.set("format", kStateFormat);
  state.set("manager", std::string(platform::resolverManagerName(manager_)));
  Poco::JSON::Array upstreams;
  for (const auto& upstream : dns::systemUpstreams(upstreamSource_)) upstreams.add(upstream.text());
  state.set("upstreams", upstreams);  // for people reading the file; the source below is used
  state.set("upstream_source", upstreamSource_);
  state.set("kept_lines", keptLines_);
  std::ostringstream text;
  state.stringify(text, 2);
  platform::writePrivateFile(statePath_, text.str() + "\n");
}

void ResolverTakeover::apply() {
  if (const auto* dropIn = dropInPath()) {
    platform::writeSystemFile(*dropIn, ourDropIn());
    services_.reload(manager_);
  }
  platform::writeSystemFile(paths_.agentResolvConf, ourResolvConf());
}

void ResolverTakeover::takeOver() {
  try {
    remember();
    active_ = true;
    apply();
  } catch (const platform::FileError& error) {
    if (remembered_) restore();
    throw ResolverError(std::string("The agent could not become this laptop's resolver: ") +
                        error.what() + " The system's own resolver settings are in use.");
  }
  spdlog::info("This laptop now looks names up through the DNS filter ({}; {} kept as {}).",
               platform::resolverManagerName(manager_), paths_.resolvConf, paths_.resolvConfBackup);
}

void ResolverTakeover::followNetwork(UpstreamsChanged onChange, bool upstreamsSetExplicitly) {
  onChange_ = std::move(onChange);
  upstreamsSetExplicitly_ = upstreamsSetExplicitly;
}

std::optional<std::string> ResolverTakeover::networkResolvConf() const {
  switch (manager_) {
    case ResolverManager::SystemdResolved:
      return platform::readFileIfExists(paths_.resolvedUpstreams);
    case ResolverManager::NetworkManager:
      if (auto text = platform::readFileIfExists(paths_.networkManagerUpstreams)) return text;
      return platform::readFileIfExists(paths_.networkManagerResolvConf);
    case ResolverManager::File:
      break;
  }
  // A DHCP client on a new network writes its file over ours (Debian's dhclient-script follows
  // the link). So may a person: then only where allowed names are forwarded changes, as with
  // dns.upstreams, and the file is put back.
  auto text = platform::readFileIfExists(isResolvConfLinked(paths_) ? paths_.agentResolvConf
                                                                    : paths_.resolvConf);
  if (text && isAgentsResolvConf(*text)) return std::nullopt;
  return text;
}

void ResolverTakeover::checkNetworkResolvers() {
  const auto text = networkResolvConf();
  if (!text) return;
  auto servers = dns::systemUpstreams(*text);
  // None (between networks, or only loopback ones) says nothing of where to forward: the last
  // network's resolvers are still the best guess.
  if (servers.empty() || listed(servers) == listed(dns::systemUpstreams(upstreamSource_))) return;
  // The new network's file is what restore() gives back; its search domain is kept.
  if (manager_ == ResolverManager::File) keptLines_ = lookupLines(*text);
  upstreamSource_ = *text;
  save();
  if (!onChange_ || upstreamsSetExplicitly_) return;
  spdlog::info("The network's resolvers changed: now forwarding to {}.", listed(servers));
  onChange_(std::move(servers));
}

bool ResolverTakeover::relink(std::vector<common::Event>& events) {
  const bool missing = !exists(paths_.resolvConf);
  const auto what = paths_.resolvConf + (missing ? " had been removed" : " had been replaced") +
                    ", so names could bypass the DNS filter";
  if (!platform::canChangeFilesIn(etcDirectory())) {
    // The service keeps /etc read-only to the agent; its start step makes the link.
    if (!linkLost_) {
      events.push_back(tamperEvent(
          "resolver_changed", what + ". The agent cannot put it back while it runs: restart it "
                                     "(systemctl restart clubsafe-agent)."));
      spdlog::warn("{}", events.back().payload->getValue<std::string>("detail"));
    }
    linkLost_ = true;
    return false;
  }
  linkResolvConf(paths_);  // what replaced it becomes the backup: the system's own now
  linkLost_ = false;
  events.push_back(tamperEvent("resolver_changed", what + "; the agent put it back."));
  spdlog::warn("{}", events.back().payload->getValue<std::string>("detail"));
  return true;
}

std::string ResolverTakeover::etcDirectory() const {
  return std::filesystem::path(paths_.resolvConf).parent_path().string();
}

std::vector<common::Event> ResolverTakeover::poll() {
  std::vector<common::Event> events;
  if (!active_) return events;
  const auto putBack = [&](const std::string& path, const std::string& content, bool reload) {
    const bool missing = !exists(path);
    platform::writeSystemFile(path, content);
    if (reload) services_.reload(manager_);
    events.push_back(
        tamperEvent("resolver_changed",
                    path + (missing ? " had been removed" : " had been changed") +
                        ", so names could have bypassed the DNS filter; the agent put it back."));
    spdlog::warn("{}", events.back().payload->getValue<std::string>("detail"));
  };
  try {
    // Before resolv.conf is put back: a DHCP client's file names the new network's resolvers.
    checkNetworkResolvers();
  } catch (const platform::FileError& error) {
    spdlog::warn("The network's resolvers could not be followed: {}", error.what());
  }
  try {
    if (const auto* dropIn = dropInPath()) {
      if (platform::readFileIfExists(*dropIn) != ourDropIn()) putBack(*dropIn, ourDropIn(), true);
    }
    const bool relinked = !isResolvConfLinked(paths_) && relink(events);
    if (platform::readFileIfExists(paths_.agentResolvConf) != ourResolvConf()) {
      if (relinked) {
        platform::writeSystemFile(paths_.agentResolvConf, ourResolvConf());  // reported above
      } else {
        putBack(paths_.agentResolvConf, ourResolvConf(), false);
      }
    }
  } catch (const platform::FileError& error) {
    spdlog::warn("The resolver settings could not be checked or put back: {}", error.what());
  }
  return events;
}

void ResolverTakeover::restore() {
  if (!remembered_) return;
  bool restored = true;
  const auto attempt = [&](const auto& step) {
    try {
      step();
    } catch (const std::exception& error) {  // FileError, or filesystem_error naming the file
      spdlog::error("{}", error.what());
      restored = false;
    }
  };
  bool removedDropIn = false;
  if (const auto* dropIn = dropInPath()) {
    attempt([&] { removedDropIn = std::filesystem::remove(*dropIn); });
  }
  // The network's own resolvers, which the link's file holds until the link is gone (a link
  // of systemd-resolved's comes back whole instead).
  attempt([&] {
    platform::writeSystemFile(paths_.agentResolvConf, manager_ == ResolverManager::SystemdResolved
                                                          ? readOrEmpty(paths_.resolvConfBackup)
                                                          : upstreamSource_);
  });
  attempt([&] {
    if (!isResolvConfLinked(paths_)) return;  // replaced by someone else: theirs stays
    if (!platform::canChangeFilesIn(etcDirectory())) {
      spdlog::info("{} is given back by the service's stop step (clubsafe-agent resolver-unlink).",
                   paths_.resolvConf);
      return;
    }
    unlinkResolvConf(paths_);
  });
  // After resolv.conf is back, so that NetworkManager's rewrite of it comes last.
  if (removedDropIn) attempt([&] { services_.reload(manager_); });
  active_ = false;
  if (!restored) return;  // the state file still says what the system had
  remembered_ = false;
  std::error_code ignored;
  std::filesystem::remove(statePath_, ignored);
  spdlog::info("The system's own resolver settings ({}) are back in place.",
               platform::resolverManagerName(manager_));
}

}  // namespace clubsafe::agent::protection
