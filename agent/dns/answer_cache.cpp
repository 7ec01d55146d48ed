#include "agent/dns/answer_cache.hpp"

#include <array>

namespace clubsafe::agent::dns {
namespace {

// Everything that changes what upstream answers: type, EDNS or not, DNSSEC OK, checking
// disabled, recursion desired, and the name in lower case.
constexpr std::size_t kKeyPrefix = 3;
using KeyBuffer = std::array<char, kKeyPrefix + kMaxWireName>;

std::string_view makeKey(const Query& query, KeyBuffer& buffer) {
  buffer[0] = static_cast<char>(query.qtype >> 8);
  buffer[1] = static_cast<char>(query.qtype & 0xff);
  buffer[2] = static_cast<char>((query.hasEdns ? 1 : 0) | (query.dnssecOk ? 2 : 0) |
                                ((query.flags & flag::kCd) != 0 ? 4 : 0) |
                                ((query.flags & flag::kRd) != 0 ? 8 : 0));
  const auto text = query.name.text();
  std::copy(text.begin(), text.end(), buffer.begin() + kKeyPrefix);
  return {buffer.data(), kKeyPrefix + text.size()};
}

}  // namespace

bool AnswerCache::lookup(const Query& query, Clock::time_point now, Buffer& out) {
  KeyBuffer buffer;
  const auto key = makeKey(query, buffer);
  const std::lock_guard lock(mutex_);
  const auto found = index_.find(key);
  if (found == index_.end()) return false;
  const auto entry = found->second;
  if (now >= entry->expires) {
    index_.erase(found);
    entries_.erase(entry);
    return false;
  }
  entries_.splice(entries_.begin(), entries_, entry);
  out.assign(entry->answer.begin(), entry->answer.end());
  writeU16(out, 0, query.id);
  const auto kept = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now - entry->stored).count());
  for (const auto offset : entry->ttlOffsets) {
    const auto ttl = readU32(entry->answer, offset);
    writeU32(out, offset, ttl > kept ? ttl - kept : 0);
  }
  return true;
}

void AnswerCache::insert(const Query& query, Bytes answer, Clock::time_point now) {
  if (capacity_ == 0) return;
  std::vector<std::uint16_t> ttlOffsets;
  AnswerFacts facts;
  facts.ttlOffsets = &ttlOffsets;
  if (!inspectAnswer(answer, kMaxSeconds, facts) || facts.truncated || facts.cacheSeconds == 0) {
    return;
  }
  KeyBuffer buffer;
  const auto key = makeKey(query, buffer);
  Entry entry{std::string(key), Buffer(answer.begin(), answer.end()), std::move(ttlOffsets), now,
              now + std::chrono::seconds(facts.cacheSeconds)};

  const std::lock_guard lock(mutex_);
  if (const auto found = index_.find(key); found != index_.end()) {
    entries_.erase(found->second);
    index_.erase(found);
  }
  while (entries_.size() >= capacity_) {
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
  entries_.push_front(std::move(entry));
  index_.emplace(entries_.front().key, entries_.begin());
}

std::size_t AnswerCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace clubsafe::agent::dns
