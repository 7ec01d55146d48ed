#pragma once

#include "agent/platform/file_descriptor.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace clubsafe::agent::platform {

enum class PolicyFormat {
  Chromium,  // a JSON object of policy names, one file of several in a managed directory
  Firefox,   // policies.json: the policy names inside its "policies" object
};

struct BrowserPolicyFile {
  std::string browser;  // as people know it, for messages: "Chromium", "Firefox ESR"
  PolicyFormat format;
  std::string path;
};

// The machine-wide managed-policy files of the browsers on this system, under `root` ("/" on a
// laptop, a temporary directory in tests). Chromium's and Google Chrome's are listed whether
// or not that browser is installed yet, so one installed later starts under the policy;
// Firefox's distribution folders only where that Firefox is installed.
[[nodiscard]] std::vector<BrowserPolicyFile> browserPolicyFiles(const std::string& root);

// Wakes a waiting thread when anything changes in the folders of the given files (inotify), so
// a removed or edited policy is put back within a moment rather than at the next poll.
// Folders are watched from construction; those that do not exist yet from the first wait after
// they appear.
class PolicyChangeWaiter {
 public:
  enum class Wake { Changed, Timeout, Stopped };

  // Throws FileError when the system has no inotify instance or eventfd to give.
  explicit PolicyChangeWaiter(const std::vector<BrowserPolicyFile>& files);
  PolicyChangeWaiter(const PolicyChangeWaiter&) = delete;
  PolicyChangeWaiter& operator=(const PolicyChangeWaiter&) = delete;

  // Blocks until a change (reported once the folder has been quiet for a moment, so a program
  // writing in several steps is one change), `timeout`, or stop(); Stopped from then on.
  [[nodiscard]] Wake wait(std::chrono::milliseconds timeout);
  // Safe from any thread.
  void stop();

 private:
  void watchFolders();

  std::vector<std::string> directories_;
  FileDescriptor inotify_;
  FileDescriptor stop_;  // an eventfd
};

}  // namespace clubsafe::agent::platform
