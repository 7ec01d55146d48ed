#pragma once

// The on-disk layout of a compiled domain index, shared by the builder and the reader.
// docs/DOMAIN_INDEX.md describes it and why it is built this way.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace clubsafe::common::domain_index::format {

static_assert(std::endian::native == std::endian::little,
              "the index file is little-endian and read in place");

inline constexpr char kMagic[8] = {'C', 'S', 'D', 'O', 'M', 'I', 'D', 'X'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kSha256Bytes = 32;
// Keys are the top 56 bits of a name's hash; the builder keeps a category tag in the low 8.
inline constexpr int kKeyBits = 56;
inline constexpr std::size_t kSectionAlignment = 8;
inline constexpr std::uint64_t kSetAllowFlag = 1;

// Written and read with memcpy as one block: fixed-width fields, no padding.
struct Header {
  char magic[8];
  std::uint32_t formatVersion;
  std::uint32_t headerSize;
  std::uint64_t indexVersion;
  std::uint64_t buildTime;  // seconds since 1970-01-01 UTC
  std::uint64_t hashSeed;
  std::uint32_t categoryCount;
  std::uint32_t setCount;
  std::uint64_t entryCount;
  std::uint32_t bucketBits;
  std::uint32_t reserved;
  std::uint64_t categoriesOffset;  // per category: 1 length byte, then the name
  std::uint64_t setsOffset;        // setCount SetRecords
  std::uint64_t keysOffset;        // entryCount uint64 keys, ascending
  std::uint64_t setIdsOffset;      // entryCount uint16 set ids, parallel to the keys
  std::uint64_t bucketsOffset;     // 2^bucketBits + 1 uint32 entry positions
  std::uint64_t fileSize;
  unsigned char bodySha256[kSha256Bytes];  // of bytes [headerSize, fileSize)
};
static_assert(sizeof(Header) == 144 && std::is_trivially_copyable_v<Header>);

// One distinct combination of categories (a 128-bit set) and whether the name is allow-listed.
struct SetRecord {
  std::uint64_t low;
  std::uint64_t high;
  std::uint64_t flags;
};
static_assert(sizeof(SetRecord) == 24 && std::is_trivially_copyable_v<SetRecord>);

// splitmix64's finaliser: a bijection that spreads every input bit over the whole word.
constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Names are hashed label by label from the right, so the hashes of all of a name's suffixes
// (com, example.com, www.example.com) fall out of one pass over it. A label goes in as 8-byte
// words (the last one zero-padded) and then a word with the top bit set and the label's length,
// which no word of name bytes (ASCII) can equal: different label sequences are different
// inputs, and only chance (1 in 2^56 per pair of names) makes their keys equal.
constexpr std::uint64_t startHash(std::uint64_t seed) {
  return mix(seed);
}
inline std::uint64_t extendHash(std::uint64_t suffixHash, std::string_view label) {
  std::uint64_t hash = suffixHash;
  std::size_t i = 0;
  for (; i + 8 <= label.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, label.data() + i, 8);
    hash = mix(hash ^ word);
  }
  if (i < label.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, label.data() + i, label.size() - i);
    hash = mix(hash ^ word);
  }
  return mix(hash ^ (0x8000000000000000ULL | label.size()));
}
constexpr std::uint64_t keyOf(std::uint64_t hash) {
  return hash >> (64 - kKeyBits);
}

// Calls visit(key) for each suffix of a canonical name, shortest first.
template <typename Visit>
void forEachSuffixKey(std::string_view name, std::uint64_t seed, Visit&& visit) {
  std::uint64_t hash = startHash(seed);
  std::size_t end = name.size();
  while (true) {
    std::size_t start = end;
    while (start > 0 && name[start - 1] != '.') --start;
    hash = extendHash(hash, name.substr(start, end - start));
    if (!visit(keyOf(hash))) return;
    if (start == 0) return;
    end = start - 1;
  }
}

constexpr std::uint64_t alignUp(std::uint64_t value) {
  return (value + kSectionAlignment - 1) / kSectionAlignment * kSectionAlignment;
}

}  // namespace clubsafe::common::domain_index::format
