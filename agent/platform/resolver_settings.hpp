#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::agent::platform {

// What keeps /etc/resolv.conf up to date on this system, which decides how the agent makes
// itself the system's resolver (docs/DNS.md, "Taking over the system resolver").
enum class ResolverManager {
  File,             // a plain file: the administrator, ifupdown or a DHCP client writes it
  SystemdResolved,  // it leads to systemd-resolved's stub on 127.0.0.53
  NetworkManager,   // NetworkManager writes it
};

// "file", "systemd-resolved" or "NetworkManager"; the names round-trip through the parse.
[[nodiscard]] std::string_view resolverManagerName(ResolverManager manager);
[[nodiscard]] std::optional<ResolverManager> parseResolverManager(std::string_view name);

// The files that decide the system's resolver, under `root` ("/" on a laptop, a temporary
// directory in tests).
struct ResolverPaths {
  std::string resolvConf;            // etc/resolv.conf: a link to agentResolvConf while taken over
  std::string agentResolvConf;       // run/clubsafe/resolv.conf: the file the agent writes
  std::string resolvConfBackup;      // etc/resolv.conf.clubsafe-backup: the system's own, kept
  std::string resolvedUpstreams;     // run/systemd/resolve/resolv.conf: resolved's real servers
  std::string resolvedDropIn;        // etc/systemd/resolved.conf.d/clubsafe.conf
  std::string networkManagerDropIn;  // etc/NetworkManager/conf.d/clubsafe.conf
  // NetworkManager's own copies, which it keeps writing while it leaves resolv.conf alone:
  std::string networkManagerUpstreams;   // run/NetworkManager/no-stub-resolv.conf: real servers
  std::string networkManagerResolvConf;  // run/NetworkManager/resolv.conf: when there is no above
};
[[nodiscard]] ResolverPaths resolverPaths(const std::string& root);

// Which manager the files under `paths` show: resolv.conf pointing into /run/systemd/resolve
// or naming 127.0.0.53 while resolved runs, NetworkManager's header or link, else a plain file.
[[nodiscard]] ResolverManager detectResolverManager(const ResolverPaths& paths);

// Where the symbolic link `path` points; nullopt when `path` is not a symbolic link.
[[nodiscard]] std::optional<std::string> symlinkTarget(const std::string& path);

// Replaces `path` atomically with a symbolic link to `target`. Throws FileError naming `path`.
void replaceWithLink(const std::string& path, const std::string& target);

// Whether files in `directory` can be created, replaced and removed by this process: false
// where the service's sandbox keeps it read-only (ProtectSystem=strict).
[[nodiscard]] bool canChangeFilesIn(const std::string& directory);

// Makes `copy` the same as `original`: the same link when it is a symbolic link, else a file of
// the same content (0644). Replaces `copy` atomically. Throws FileError naming the file.
void copyFileOrLink(const std::string& original, const std::string& copy);

// Makes systemd-resolved or NetworkManager read its configuration again. The seam the tests
// replace: the real one asks systemd.
class ResolverServices {
 public:
  virtual ~ResolverServices() = default;
  // Throws FileError saying what failed. Nothing to do for ResolverManager::File.
  virtual void reload(ResolverManager manager) = 0;
};
[[nodiscard]] std::unique_ptr<ResolverServices> makeResolverServices();

// Runs `program` with `arguments` (no shell), waits for it and returns its exit status; 127
// when it could not be started, 128 + the signal when a signal ended it.
[[nodiscard]] int runProgram(const std::string& program, const std::vector<std::string>& arguments);

}  // namespace clubsafe::agent::platform
