#include "agent/platform/desktop_applications.hpp"

#include "agent/platform/untrusted_file.hpp"

#include <chrono>
#include <mutex>
#include <set>
#include <sstream>

namespace clubsafe::agent::platform {
namespace {

constexpr auto kRecheckInterval = std::chrono::minutes(1);
constexpr std::uintmax_t kMaxEntryBytes = 64 * 1024;

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The words of an Exec value: spaces separate, double quotes group, a backslash escapes.
std::vector<std::string> execWords(std::string_view exec) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  bool quoted = false;
  for (std::size_t i = 0; i < exec.size(); ++i) {
    const char c = exec[i];
    if (c == '\\' && i + 1 < exec.size()) {
      word.push_back(exec[++i]);
      inWord = true;
    } else if (c == '"') {
      quoted = !quoted;
      inWord = true;
    } else if (c == ' ' && !quoted) {
      if (inWord) words.push_back(std::move(word));
      word.clear();
      inWord = false;
    } else {
      word.push_back(c);
      inWord = true;
    }
  }
  if (inWord) words.push_back(std::move(word));
  return words;
}

bool isEnvironmentAssignment(const std::string& word) {
  const auto equals = word.find('=');
  return equals != std::string::npos && equals > 0 && word.find('/') > equals;
}

// Entries in a person's own folder are theirs to write: read as hostile (readUntrustedFile).
std::optional<std::string> readEntry(const std::filesystem::path& path) {
  return readUntrustedFile(path, kMaxEntryBytes, std::nullopt);
}

class DesktopEntryCatalogue final : public DesktopApplications {
 public:
  explicit DesktopEntryCatalogue(std::vector<std::filesystem::path> directories)
      : directories_(std::move(directories)) {}

  bool isApplication(std::string_view executable) override {
    const std::lock_guard lock(mutex_);
    refreshIfChanged();
    return executables_.contains(std::string(executable));
  }

 private:
  std::vector<std::filesystem::file_time_type> modificationTimes() const {
    std::vector<std::filesystem::file_time_type> times;
    for (const auto& directory : directories_) {
      std::error_code error;
      times.push_back(std::filesystem::last_write_time(directory, error));
    }
    return times;
  }

  void refreshIfChanged() {
    const auto now = std::chrono::steady_clock::now();
    if (checked_ && now - lastCheck_ < kRecheckInterval) return;
    lastCheck_ = now;
    auto times = modificationTimes();
    if (checked_ && times == times_) return;
    checked_ = true;
    times_ = std::move(times);
    std::set<std::string, std::less<>> executables;
    for (const auto& directory : directories_) {
      std::error_code error;
      for (std::filesystem::recursive_directory_iterator it(directory, error), end;
           !error && it != end; it.increment(error)) {
        if (it->path().extension() != ".desktop") continue;
        const auto entry = readEntry(it->path());
        if (!entry) continue;
        if (auto executable = desktopEntryExecutable(*entry)) executables.insert(*executable);
      }
    }
    executables_ = std::move(executables);
  }

  std::vector<std::filesystem::path> directories_;
  std::mutex mutex_;
  bool checked_ = false;
  std::chrono::steady_clock::time_point lastCheck_;
  std::vector<std::filesystem::file_time_type> times_;
  std::set<std::string, std::less<>> executables_;
};

}  // namespace

std::optional<std::string> desktopEntryExecutable(std::string_view entry) {
  bool inMainGroup = false;
  std::string exec;
  bool application = false;
  bool shown = true;
  std::istringstream lines{std::string(entry)};
  std::string line;
  while (std::getline(lines, line)) {
    const auto text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    if (text.front() == '[') {
      inMainGroup = text == "[Desktop Entry]";
      continue;
    }
    if (!inMainGroup) continue;
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    const auto key = trimmed(text.substr(0, equals));
    const auto value = trimmed(text.substr(equals + 1));
    if (key == "Type") application = value == "Application";
    if (key == "Exec") exec = value;
    if ((key == "NoDisplay" || key == "Hidden" || key == "Terminal") && value == "true") {
      shown = false;
    }
  }
  if (!application || !shown) return std::nullopt;
  auto words = execWords(exec);
  std::size_t first = 0;
  if (!words.empty() && std::filesystem::path(words[0]).filename() == "env") ++first;
  while (first < words.size() && isEnvironmentAssignment(words[first])) ++first;
  if (first == words.size()) return std::nullopt;
  auto name = std::filesystem::path(words[first]).filename().string();
  if (name.empty()) return std::nullopt;
  return name;
}

std::unique_ptr<DesktopApplications> makeDesktopApplications(
    std::vector<std::filesystem::path> directories) {
  return std::make_unique<DesktopEntryCatalogue>(std::move(directories));
}

std::vector<std::filesystem::path> desktopEntryDirectories(
    const std::vector<std::filesystem::path>& homes) {
  std::vector<std::filesystem::path> directories{
      "/usr/share/applications", "/usr/local/share/applications",
      "/var/lib/flatpak/exports/share/applications", "/var/lib/snapd/desktop/applications"};
  for (const auto& home : homes) directories.push_back(home / ".local/share/applications");
  return directories;
}

}  // namespace clubsafe::agent::platform
