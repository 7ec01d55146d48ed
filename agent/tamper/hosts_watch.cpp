#include "agent/tamper/hosts_watch.hpp"

#include "agent/platform/private_file.hpp"
#include "agent/protection/tamper_event.hpp"
#include "common/crypto.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace clubsafe::agent::tamper {
namespace {

// Hosts files of ad blockers run to a few megabytes; past this only the start is compared.
constexpr std::streamsize kMaxHostsBytes = std::streamsize{16} * 1024 * 1024;
// Entries named in one event, each way; the rest are counted.
constexpr std::size_t kMaxListed = 5;
constexpr std::size_t kMaxNameLength = 253;  // a DNS name's longest text form

// The file's text (at most kMaxHostsBytes); empty when it is missing. Throws FileError when it
// exists but cannot be read.
std::string readHosts(const std::string& path, bool& missing) {
  std::ifstream file(path, std::ios::binary);
  missing = !file && !std::filesystem::exists(path);
  if (missing) return {};
  if (!file) throw platform::FileError("Cannot read " + path + " to look for changes.");
  // In pieces, so a hosts file of a few lines costs a few lines of memory, not the limit.
  std::string text;
  std::array<char, 64 * 1024> piece{};
  while (std::ssize(text) < kMaxHostsBytes &&
         file.read(piece.data(), std::min<std::streamsize>(std::ssize(piece),
                                                          kMaxHostsBytes - std::ssize(text)))
             .gcount() > 0) {
    text.append(piece.data(), static_cast<std::size_t>(file.gcount()));
  }
  return text;
}

// "name address" for every name a line maps, so a name sent somewhere else shows as one
// entry removed and one added.
std::set<std::string> entries(const std::string& text) {
  std::set<std::string> found;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream tokens(line);
    std::string address;
    std::string name;
    if (!(tokens >> address)) continue;
    while (tokens >> name) {
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      found.insert(name.substr(0, kMaxNameLength) + " (" + address.substr(0, 45) + ")");
    }
  }
  return found;
}

std::string listed(const std::vector<std::string>& items, const char* what) {
  if (items.empty()) return std::string("no entry ") + what;
  std::string text =
      std::to_string(items.size()) + (items.size() == 1 ? " entry " : " entries ") + what + ": ";
  for (std::size_t i = 0; i < std::min(items.size(), kMaxListed); ++i) {
    text += (i == 0 ? "" : ", ") + items[i];
  }
  if (items.size() > kMaxListed)
    text += " and " + std::to_string(items.size() - kMaxListed) + " more";
  return text;
}

std::string summary(const std::string& before, const std::string& after) {
  const auto old = entries(before);
  const auto now = entries(after);
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::set_difference(now.begin(), now.end(), old.begin(), old.end(), std::back_inserter(added));
  std::set_difference(old.begin(), old.end(), now.begin(), now.end(), std::back_inserter(removed));
  if (added.empty() && removed.empty()) return "only comments or spacing changed";
  return listed(added, "added") + "; " + listed(removed, "removed");
}

}  // namespace

std::string hostsCopyPath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "hosts.last-seen").string();
}

HostsWatch::HostsWatch(std::string hostsFile, const std::string& stateDir)
    : hostsFile_(std::move(hostsFile)), copyPath_(hostsCopyPath(stateDir)) {}

std::optional<common::Event> HostsWatch::check() {
  try {
    bool missing = false;
    const auto now = readHosts(hostsFile_, missing);
    const auto nowHash = common::sha256Hex(now);
    std::optional<std::string> seen;
    if (!seenHash_) {
      seen = platform::readFileIfExists(copyPath_);
      if (seen) seenHash_ = common::sha256Hex(*seen);
    }
    if (seenHash_ == nowHash) return std::nullopt;
    if (seenHash_ && !seen) seen = platform::readFileIfExists(copyPath_);
    platform::writePrivateFile(copyPath_, now);
    const bool first = !seenHash_;
    seenHash_ = nowHash;
    lastWarning_.clear();
    if (first) return std::nullopt;
    return protection::tamperEvent("hosts_changed",
                                   hostsFile_ + (missing ? " was removed: " : " changed: ") +
                                       summary(seen.value_or(""), now) + ".");
  } catch (const platform::FileError& error) {
    if (error.what() != lastWarning_) {
      lastWarning_ = error.what();
      spdlog::warn("{} Changes to {} are not reported until this is fixed.", lastWarning_,
                   hostsFile_);
    }
    return std::nullopt;
  }
}

}  // namespace clubsafe::agent::tamper
