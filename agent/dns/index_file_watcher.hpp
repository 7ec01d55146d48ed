#pragma once

#include "agent/platform/file_stamp.hpp"
#include "agent/runtime/heartbeat.hpp"
#include "common/domain_index/domain_index.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace clubsafe::agent::dns {

// Hands the newest good copy of an index file to `install`. A new index is written beside
// the old one and renamed over it; each look compares the file's inode, size and modification
// time with the last one seen and loads it only when they differ. A file that fails to load is
// refused with one log line and the index in force stays.
class IndexFileWatcher {
 public:
  using Install = std::function<void(std::shared_ptr<const common::domain_index::DomainIndex>)>;
  IndexFileWatcher(std::string path, Install install)
      : path_(std::move(path)), install_(std::move(install)) {}

  // Loads the file if it changed since the last look. Returns whether a new index went in.
  bool check();
  // Looks every `interval` until stop(), which another thread may call at any time.
  void run(std::chrono::milliseconds interval);
  void stop();
  // Beaten at every turn of run() and while it waits (runtime/heartbeat.hpp).
  [[nodiscard]] const runtime::Heartbeat& heartbeat() const { return heartbeat_; }

 private:
  std::string path_;
  Install install_;
  bool installed_ = false;
  std::optional<platform::FileStamp> seen_;  // of the last file looked at, loaded or refused
  bool missingSaid_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  runtime::Heartbeat heartbeat_;
};

}  // namespace clubsafe::agent::dns
