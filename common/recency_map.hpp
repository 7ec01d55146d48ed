#pragma once

#include <cstddef>
#include <iterator>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace clubsafe::common {

// Values by text key, kept in the order they were added or last moved to the newest end, so a
// bounded table can drop its stalest entries first in constant time. Not thread-safe: its
// owner locks.
template <typename Value>
class RecencyMap {
 public:
  using Entry = std::pair<const std::string, Value>;

  [[nodiscard]] Value* find(std::string_view key) {
    const auto found = index_.find(key);
    return found == index_.end() ? nullptr : &found->second->second;
  }

  // Adds `key` as the newest entry; the key must not be there yet.
  Value& addNewest(std::string key, Value value) {
    entries_.emplace_back(std::move(key), std::move(value));
    const auto last = std::prev(entries_.end());
    index_.emplace(std::string_view(last->first), last);
    return last->second;
  }

  // Makes a present key the newest entry.
  void moveToNewest(std::string_view key) {
    const auto found = index_.find(key);
    if (found != index_.end()) entries_.splice(entries_.end(), entries_, found->second);
  }

  [[nodiscard]] Entry* oldest() { return entries_.empty() ? nullptr : &entries_.front(); }

  void eraseOldest() {
    if (entries_.empty()) return;
    index_.erase(std::string_view(entries_.front().first));
    entries_.pop_front();
  }

  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  // List nodes never move, so the index can hold views of the keys they own.
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace clubsafe::common
