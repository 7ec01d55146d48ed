#pragma once

#include "agent/dns/socket.hpp"
#include "agent/platform/resolver_settings.hpp"
#include "agent/sources/source.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace clubsafe::agent::protection {

class ResolverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The file in the agent's state directory that remembers the system's own resolvers.
[[nodiscard]] std::string resolverStatePath(const std::string& stateDir);

// Makes the DNS filter the system's resolver (F1) and keeps it so: the resolvers the system
// used before are remembered in resolver-previous.json (the filter forwards to them), the
// system's resolv.conf is kept as resolv.conf.clubsafe-backup and becomes a link to the agent's
// own (resolv_conf_link.hpp), which, with systemd-resolved's or NetworkManager's settings when
// one of them manages it, points at the filter. A poll finds changes, puts the settings back and
// reports each as a tamper event. The poll also follows the network's resolvers (the laptop moved
// to another network): read from systemd-resolved's or NetworkManager's own files, or from the
// resolv.conf a DHCP client wrote over ours, they replace the remembered ones. restore() gives the
// system its own settings back, those of the network it is on. Not for the demo or tests on a high
// port: resolv.conf cannot name a port.
class ResolverTakeover : public sources::Source {
 public:
  // `root` is "/" on a laptop; `listenAddress` the filter's loopback address (127.0.0.1).
  ResolverTakeover(const std::string& root, const std::string& stateDir, std::string listenAddress,
                   platform::ResolverServices& services, std::chrono::milliseconds interval);

  // Remembers the system's resolvers (in resolver-previous.json, with resolv.conf kept as the
  // backup), or takes those that a run which did not stop cleanly remembered. resolv.conf
  // becomes the link to a file of the same text, so nothing the system reads changes: call it
  // before starting the filter, which forwards to
  // previousResolvConf(). Throws ResolverError saying what failed and what to do.
  void remember();

  // Points the system at the filter, which must be answering by then (remembering first when
  // remember() was not called). Throws ResolverError saying what failed; the system's own
  // settings are then back in place.
  void takeOver();

  // The resolvers the system used before, as resolv.conf text (for dns::dnsProxyOptions).
  [[nodiscard]] const std::string& previousResolvConf() const { return upstreamSource_; }
  [[nodiscard]] platform::ResolverManager manager() const { return manager_; }

  // Called on the polling thread with the network's resolvers each time they change.
  using UpstreamsChanged = std::function<void(std::vector<dns::Endpoint>)>;
  // Call before the scheduler starts polling. When `upstreamsSetExplicitly` (dns.upstreams is
  // set) the setting wins and `onChange` is never called; the remembered resolvers follow the
  // network all the same, for restore().
  void followNetwork(UpstreamsChanged onChange, bool upstreamsSetExplicitly);

  // Puts the system's own settings back and forgets them: on a clean stop, after the source
  // scheduler has stopped polling, or when the filter could not start after remember().
  // Failures are logged with what to do by hand.
  void restore();

  [[nodiscard]] std::string_view name() const override { return "resolver settings"; }
  [[nodiscard]] std::chrono::milliseconds interval() const override { return interval_; }
  [[nodiscard]] std::vector<common::Event> poll() override;

 private:
  void readSystemOrState();
  void save() const;
  void apply();
  void checkNetworkResolvers();
  // Makes resolv.conf the link again, or reports that it cannot; true when put back.
  bool relink(std::vector<common::Event>& events);
  [[nodiscard]] std::string etcDirectory() const;
  [[nodiscard]] std::optional<std::string> networkResolvConf() const;
  [[nodiscard]] std::string ourResolvConf() const;
  [[nodiscard]] std::string ourDropIn() const;
  [[nodiscard]] const std::string* dropInPath() const;

  platform::ResolverPaths paths_;
  std::string statePath_;
  std::string listenAddress_;
  platform::ResolverServices& services_;
  std::chrono::milliseconds interval_;
  bool remembered_ = false;
  bool active_ = false;    // the system points at the filter
  bool linkLost_ = false;  // resolv.conf replaced, and this process cannot make the link again
  platform::ResolverManager manager_ = platform::ResolverManager::File;
  std::string upstreamSource_;  // resolv.conf text naming the system's own resolvers
  std::string keptLines_;       // search, domain and options lines of the system's resolv.conf
  UpstreamsChanged onChange_;
  bool upstreamsSetExplicitly_ = false;
};

}  // namespace clubsafe::agent::protection
