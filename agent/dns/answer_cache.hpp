#pragma once

#include "agent/dns/wire.hpp"

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace clubsafe::agent::dns {

// Upstream answers kept as the raw bytes they came in, for as long as their TTLs allow, at most
// `capacity` of them (the least recently used goes first). A hit is the stored answer with the
// client's id and every TTL lowered by the time it has been kept. Safe to share between threads.
class AnswerCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint32_t kMaxSeconds = 86400;  // nothing is trusted for longer than a day

  explicit AnswerCache(std::size_t capacity) : capacity_(capacity) {}

  // Writes the answer to `query` into `out` and returns true on a hit.
  [[nodiscard]] bool lookup(const Query& query, Clock::time_point now, Buffer& out);
  // Keeps `answer` if it says for how long (see inspectAnswer); others are ignored.
  void insert(const Query& query, Bytes answer, Clock::time_point now);
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    Buffer answer;
    std::vector<std::uint16_t> ttlOffsets;
    Clock::time_point stored;
    Clock::time_point expires;
  };
  using Entries = std::list<Entry>;  // most recently used first

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  Entries entries_;
  std::unordered_map<std::string_view, Entries::iterator> index_;  // keys live in entries_
};

}  // namespace clubsafe::agent::dns
