#include "common/domain_index/domain_index.hpp"

#include "common/domain_index/index_format.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <limits>

namespace clubsafe::common::domain_index {
namespace {

template <typename T>
T readAt(const unsigned char* base, std::size_t index) {
  T value{};
  std::memcpy(&value, base + index * sizeof(T), sizeof(T));
  return value;
}

std::string sizeText(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes";
}

}  // namespace

std::shared_ptr<const DomainIndex> DomainIndex::open(const std::string& path) {
  std::unique_ptr<MappedFile> mapping;
  try {
    mapping = std::make_unique<MappedFile>(path);
  } catch (const std::runtime_error& error) {
    throw DomainIndexError(std::string("Cannot load the domain index: ") + error.what());
  }
  return std::shared_ptr<const DomainIndex>(new DomainIndex(std::move(mapping), {}, path));
}

std::shared_ptr<const DomainIndex> DomainIndex::fromBytes(std::string_view bytes) {
  std::vector<unsigned char> owned(bytes.begin(), bytes.end());
  return std::shared_ptr<const DomainIndex>(new DomainIndex(nullptr, std::move(owned), "(memory)"));
}

DomainIndex::DomainIndex(std::unique_ptr<MappedFile> mapping, std::vector<unsigned char> owned,
                         const std::string& source)
    : mapping_(std::move(mapping)), owned_(std::move(owned)) {
  bytes_ = mapping_ ? mapping_->bytes() : std::span<const unsigned char>(owned_);
  verify(source);
}

void DomainIndex::verify(const std::string& source) {
  const auto refuse = [&source](const std::string& problem) {
    return DomainIndexError("The domain index " + source + " " + problem +
                            "; it was not loaded. Compile it again with clubsafe-index.");
  };
  const std::uint64_t size = bytes_.size();
  format::Header header{};
  if (size < sizeof header) {
    throw refuse("is truncated: " + sizeText(size) + ", shorter than its header");
  }
  std::memcpy(&header, bytes_.data(), sizeof header);
  if (std::memcmp(header.magic, format::kMagic, sizeof header.magic) != 0) {
    throw refuse("is not a clubsafe domain index (its first bytes are wrong)");
  }
  if (header.formatVersion != format::kFormatVersion) {
    throw refuse("has format version " + std::to_string(header.formatVersion) +
                 " but this program reads version " + std::to_string(format::kFormatVersion));
  }
  if (header.headerSize != sizeof header) throw refuse("has a damaged header");
  if (header.fileSize != size) {
    throw refuse((size < header.fileSize ? "is truncated: " : "has extra bytes: ") +
                 sizeText(size) + " where the header says " + sizeText(header.fileSize));
  }

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digestLength = 0;
  if (EVP_Digest(bytes_.data() + sizeof header, size - sizeof header, digest, &digestLength,
                 EVP_sha256(), nullptr) != 1 ||
      digestLength != format::kSha256Bytes) {
    throw refuse("could not be checked (SHA-256 failed in OpenSSL)");
  }
  if (std::memcmp(digest, header.bodySha256, format::kSha256Bytes) != 0) {
    throw refuse("is corrupt: its checksum does not match its contents");
  }

  // The checksum matched, so from here on a failure means a file that was written wrongly (or
  // crafted); each check keeps lookups inside the file.
  if (header.categoryCount > kMaxCategories || header.setCount > 65536 ||
      header.entryCount > std::numeric_limits<std::uint32_t>::max() || header.bucketBits > 31) {
    throw refuse("has impossible counts in its header");
  }
  const std::uint64_t bucketCount = (std::uint64_t{1} << header.bucketBits) + 1;
  const auto section = [&](std::uint64_t offset, std::uint64_t length) {
    if (offset < sizeof header || offset % format::kSectionAlignment != 0 || offset > size ||
        length > size - offset) {
      throw refuse("has a section outside the file");
    }
    return bytes_.data() + offset;
  };
  const auto* categories = section(header.categoriesOffset, 0);
  const auto* categoriesEnd = section(header.setsOffset, 0);
  const auto* sets = section(header.setsOffset, header.setCount * sizeof(format::SetRecord));
  keys_ = section(header.keysOffset, header.entryCount * sizeof(std::uint64_t));
  setIds_ = section(header.setIdsOffset, header.entryCount * sizeof(std::uint16_t));
  buckets_ = section(header.bucketsOffset, bucketCount * sizeof(std::uint32_t));

  for (std::uint32_t i = 0; i < header.categoryCount; ++i) {
    if (categories >= categoriesEnd || *categories == 0 ||
        *categories > categoriesEnd - categories - 1) {
      throw refuse("has a damaged category table");
    }
    categories_.emplace_back(reinterpret_cast<const char*>(categories + 1), *categories);
    categories += 1 + *categories;
  }
  for (std::uint32_t i = 0; i < header.setCount; ++i) {
    const auto record = readAt<format::SetRecord>(sets, i);
    Set set;
    set.categories = (CategorySet(record.high) << 64) | CategorySet(record.low);
    set.allow = (record.flags & format::kSetAllowFlag) != 0;
    for (std::size_t bit = header.categoryCount; bit < kMaxCategories; ++bit) {
      if (set.categories.test(bit)) throw refuse("names a category it does not have");
    }
    sets_.push_back(set);
  }
  for (std::uint64_t i = 0; i < header.entryCount; ++i) {
    if (readAt<std::uint16_t>(setIds_, i) >= header.setCount) throw refuse("has a damaged entry");
    if (i > 0 && readAt<std::uint64_t>(keys_, i - 1) >= readAt<std::uint64_t>(keys_, i)) {
      throw refuse("has entries out of order");
    }
  }
  if (readAt<std::uint32_t>(buckets_, 0) != 0 ||
      readAt<std::uint32_t>(buckets_, bucketCount - 1) != header.entryCount) {
    throw refuse("has a damaged bucket table");
  }
  for (std::uint64_t i = 1; i < bucketCount; ++i) {
    if (readAt<std::uint32_t>(buckets_, i - 1) > readAt<std::uint32_t>(buckets_, i)) {
      throw refuse("has a damaged bucket table");
    }
  }

  formatVersion_ = header.formatVersion;
  indexVersion_ = header.indexVersion;
  buildTime_ = header.buildTime;
  hashSeed_ = header.hashSeed;
  entryCount_ = header.entryCount;
  bucketShift_ = format::kKeyBits - static_cast<int>(header.bucketBits);
}

const DomainIndex::Set* DomainIndex::find(std::uint64_t key, std::uint32_t begin) const noexcept {
  const std::uint32_t end = readAt<std::uint32_t>(buckets_, (key >> bucketShift_) + 1);
  for (std::uint32_t i = begin; i < end; ++i) {
    const auto candidate = readAt<std::uint64_t>(keys_, i);
    if (candidate == key) return &sets_[readAt<std::uint16_t>(setIds_, i)];
    if (candidate > key) break;
  }
  return nullptr;
}

Match DomainIndex::lookup(std::string_view name) const noexcept {
  return lookup(NormalisedName::from(name));
}

Match DomainIndex::lookup(const NormalisedName& name) const noexcept {
  Match match;
  if (!name.ok()) return match;
  // Every suffix's key first, and each probe's memory requested before any is read, so the
  // cache misses of a name's 2 to 5 probes overlap instead of queueing one after another.
  // Filled up to `count` before use; clearing 1.5 KiB per query would cost more than the lookup.
  std::array<std::uint64_t, kMaxLabels> keys;    // NOLINT(cppcoreguidelines-pro-type-member-init)
  std::array<std::uint32_t, kMaxLabels> begins;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  std::size_t count = 0;
  format::forEachSuffixKey(name.view(), hashSeed_, [&](std::uint64_t key) {
    __builtin_prefetch(buckets_ + (key >> bucketShift_) * sizeof(std::uint32_t));
    keys[count++] = key;
    return true;
  });
  for (std::size_t i = 0; i < count; ++i) {
    begins[i] = readAt<std::uint32_t>(buckets_, keys[i] >> bucketShift_);
    __builtin_prefetch(keys_ + std::size_t{begins[i]} * sizeof(std::uint64_t));
    __builtin_prefetch(setIds_ + std::size_t{begins[i]} * sizeof(std::uint16_t));
  }
  // Shortest suffix first: each allow entry wipes what its parents said, each block entry below
  // it adds its categories back.
  for (std::size_t i = 0; i < count; ++i) {
    const Set* set = find(keys[i], begins[i]);
    if (set == nullptr) continue;
    if (set->allow) {
      match.overridden |= match.categories | set->categories;
      match.categories.reset();
      match.allowed = true;
    } else {
      match.categories |= set->categories;
      match.allowed = false;
    }
  }
  return match;
}

std::optional<CategoryId> DomainIndex::findCategory(std::string_view name) const {
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    if (categories_[i] == name) return static_cast<CategoryId>(i);
  }
  return std::nullopt;
}

std::string DomainIndex::describe(const CategorySet& set) const {
  std::string text;
  for (std::size_t i = 0; i < categories_.size(); ++i) {
    if (!set.test(i)) continue;
    if (!text.empty()) text += ", ";
    text += categories_[i];
  }
  return text;
}

}  // namespace clubsafe::common::domain_index
