#include "agent/platform/process_lister.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace clubsafe::agent::platform {
namespace {

// PF_KTHREAD from the kernel's sched.h: the flags field of /proc/<pid>/stat has it for
// kernel threads, which run no program anyone chose.
constexpr unsigned long kKernelThreadFlag = 0x00200000;
constexpr std::string_view kDeletedSuffix = " (deleted)";

std::optional<int> parsePid(std::string_view name) {
  int pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc() || end != name.data() + name.size() || pid <= 0) return std::nullopt;
  return pid;
}

std::optional<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return content.str();
}

// The fields after "pid (comm) "; comm may itself hold spaces and parentheses.
bool isKernelThread(const std::string& stat) {
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  // state, ppid, pgrp, session, tty_nr, tpgid, then flags.
  for (int i = 0; i < 6; ++i) fields >> field;
  unsigned long flags = 0;
  fields >> flags;
  return (flags & kKernelThreadFlag) != 0;
}

std::optional<std::uint32_t> realUid(const std::string& status) {
  std::istringstream lines(status);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Uid:", 0) != 0) continue;
    std::istringstream fields(line.substr(4));
    std::uint32_t uid = 0;
    if (fields >> uid) return uid;
    return std::nullopt;
  }
  return std::nullopt;
}

// The executable's file name. Other users' /proc/<pid>/exe links cannot be read without
// root, and some processes have none; their comm (the first 15 bytes of the name) stands in.
std::optional<std::string> executableName(const std::filesystem::path& dir) {
  std::string target(PATH_MAX, '\0');
  const auto exe = (dir / "exe").string();
  const ssize_t length = ::readlink(exe.c_str(), target.data(), target.size());
  if (length > 0) {
    target.resize(static_cast<std::size_t>(length));
    if (target.ends_with(kDeletedSuffix)) target.resize(target.size() - kDeletedSuffix.size());
    return std::filesystem::path(target).filename().string();
  }
  auto comm = readFile(dir / "comm");
  if (!comm) return std::nullopt;
  while (!comm->empty() && comm->back() == '\n') comm->pop_back();
  return comm;
}

class ProcProcessLister : public ProcessLister {
 public:
  std::vector<ProcessInfo> list() override {
    std::vector<ProcessInfo> processes;
    std::unordered_map<std::uint32_t, std::string> users;
    std::error_code error;
    for (std::filesystem::directory_iterator it("/proc", error), end; !error && it != end;
         it.increment(error)) {
      const auto pid = parsePid(it->path().filename().string());
      if (!pid) continue;
      // Any read failing means the process ended meanwhile: it is simply not listed.
      const auto stat = readFile(it->path() / "stat");
      if (!stat || isKernelThread(*stat)) continue;
      const auto status = readFile(it->path() / "status");
      const auto uid = status ? realUid(*status) : std::nullopt;
      if (!uid) continue;
      auto name = executableName(it->path());
      if (!name || name->empty()) continue;
      auto user = users.find(*uid);
      if (user == users.end()) user = users.emplace(*uid, userName(*uid)).first;
      processes.push_back({*pid, *uid, user->second, std::move(*name)});
    }
    return processes;
  }
};

}  // namespace

std::string userName(std::uint32_t uid) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  while (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == ERANGE) {
    buffer.resize(buffer.size() * 2);
  }
  return found != nullptr ? std::string(found->pw_name) : std::to_string(uid);
}

std::unique_ptr<ProcessLister> makeProcessLister() { return std::make_unique<ProcProcessLister>(); }

std::optional<std::string> processName(int pid) {
  if (pid <= 0) return std::nullopt;
  auto name = executableName(std::filesystem::path("/proc") / std::to_string(pid));
  if (name && name->empty()) return std::nullopt;
  return name;
}

}  // namespace clubsafe::agent::platform
