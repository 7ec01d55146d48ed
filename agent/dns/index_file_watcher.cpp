#include "agent/dns/index_file_watcher.hpp"

#include "agent/platform/file_stamp.hpp"

#include <spdlog/spdlog.h>

namespace clubsafe::agent::dns {

namespace di = common::domain_index;

bool IndexFileWatcher::check() {
  const auto stamp = platform::fileStamp(path_);
  if (!stamp) {
    if (!missingSaid_) {
      spdlog::info(
          "There is no domain index at {}: the DNS filter blocks no categories (only "
          "the browser canaries) until one is put there.",
          path_);
      missingSaid_ = true;
    }
    seen_.reset();
    return false;
  }
  missingSaid_ = false;
  if (seen_ == stamp) return false;
  seen_ = stamp;
  try {
    auto index = di::DomainIndex::open(path_);
    const auto names = index->entryCount();
    const auto version = index->indexVersion();
    spdlog::info("The DNS filter uses domain index {} (version {}, {} names).", path_, version,
                 names);
    install_(std::move(index));
    installed_ = true;
    return true;
  } catch (const di::DomainIndexError& error) {
    spdlog::error("{} The DNS filter keeps {}.", error.what(),
                  installed_ ? "the index it had" : "no index (only the browser canaries)");
    return false;
  }
}

void IndexFileWatcher::run(std::chrono::milliseconds interval) {
  std::unique_lock lock(mutex_);
  while (!runtime::waitBeating(wake_, lock, interval, heartbeat_, [this] { return stopping_; })) {
    lock.unlock();
    (void)check();
    lock.lock();
  }
}

void IndexFileWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

}  // namespace clubsafe::agent::dns
