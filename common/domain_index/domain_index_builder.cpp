#include "common/domain_index/domain_index_builder.hpp"

#include "common/domain_index/index_format.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <system_error>
#include <tuple>
#include <utility>

namespace clubsafe::common::domain_index {
namespace {

constexpr std::uint8_t kAllowTag = 0xff;
constexpr std::size_t kChunkEntries = std::size_t{64} * 1024;
constexpr std::size_t kMaxCategoryName = 64;
constexpr std::size_t kMaxSets = 65536;

bool validCategoryName(std::string_view name) {
  if (name.empty() || name.size() > kMaxCategoryName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::uint64_t fullKey(std::string_view name, std::uint64_t seed) {
  std::uint64_t key = 0;
  format::forEachSuffixKey(name, seed, [&key](std::uint64_t suffix) {
    key = suffix;
    return true;
  });
  return key;
}

// The temporary index file: written, checksummed as it goes, then renamed over the target.
// Removed again if anything fails before the rename.
class IndexFileWriter {
 public:
  explicit IndexFileWriter(const std::string& path)
      : path_(path), temporary_(path + ".tmp-XXXXXX"), digest_(EVP_MD_CTX_new()) {
    fd_ = ::mkstemp(temporary_.data());
    if (fd_ < 0) fail("Cannot create a temporary file beside");
    if (digest_ == nullptr || EVP_DigestInit_ex(digest_.get(), EVP_sha256(), nullptr) != 1) {
      throw BuildError("SHA-256 is not available from OpenSSL.");
    }
  }
  ~IndexFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(temporary_.c_str());
  }
  IndexFileWriter(const IndexFileWriter&) = delete;
  IndexFileWriter& operator=(const IndexFileWriter&) = delete;

  [[nodiscard]] std::uint64_t offset() const { return offset_; }

  void skipHeader() {
    offset_ = sizeof(format::Header);
    if (::lseek(fd_, static_cast<off_t>(offset_), SEEK_SET) < 0) fail("Cannot write");
  }

  void body(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(digest_.get(), data, size) != 1) throw BuildError("SHA-256 failed.");
    writeAll(data, size);
    offset_ += size;
  }

  void align() {
    static constexpr char kZeros[format::kSectionAlignment] = {};
    body(kZeros, format::alignUp(offset_) - offset_);
  }

  void finish(format::Header& header) {
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(digest_.get(), header.bodySha256, &length) != 1) {
      throw BuildError("SHA-256 failed.");
    }
    header.fileSize = offset_;
    if (::lseek(fd_, 0, SEEK_SET) < 0) fail("Cannot write");
    writeAll(&header, sizeof header);
    if (::fchmod(fd_, 0644) != 0 || ::fsync(fd_) != 0) fail("Cannot write");
    if (::close(std::exchange(fd_, -1)) != 0) fail("Cannot write");
    if (::rename(temporary_.c_str(), path_.c_str()) != 0) fail("Cannot replace");
    renamed_ = true;
  }

 private:
  struct DigestFree {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw BuildError(what + " the index file " + path_ + ": " +
                     std::generic_category().message(errno));
  }

  void writeAll(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
      const auto written = ::write(fd_, bytes, size);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) fail("Cannot write");
      bytes += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  std::string path_;
  std::string temporary_;
  std::unique_ptr<EVP_MD_CTX, DigestFree> digest_;
  int fd_ = -1;
  bool renamed_ = false;
  std::uint64_t offset_ = 0;
};

// About four entries per bucket: one or two cache lines of keys to scan per probe, and under a
// byte of bucket table per name.
std::uint32_t bucketBitsFor(std::uint64_t names) {
  std::uint32_t bits = 0;
  while (bits < 31 && (std::uint64_t{4} << (bits + 1)) <= names) ++bits;
  return bits;
}

}  // namespace

double BuildSummary::bytesPerName() const {
  return names == 0 ? 0.0 : static_cast<double>(fileBytes) / static_cast<double>(names);
}

DomainIndexBuilder::DomainIndexBuilder(std::uint64_t hashSeed) : seed_(hashSeed) {
  if (seed_ == 0) {
    std::random_device random;
    seed_ = (std::uint64_t{random()} << 32) | random();
  }
}

CategoryId DomainIndexBuilder::addCategory(std::string_view name) {
  const auto found = std::find(categories_.begin(), categories_.end(), name);
  if (found != categories_.end()) return static_cast<CategoryId>(found - categories_.begin());
  if (!validCategoryName(name)) {
    throw BuildError("The category name \"" + std::string(name) +
                     "\" is not allowed: use 1 to 64 lower-case letters, digits, '-' or '_'.");
  }
  if (categories_.size() == kMaxCategories) {
    throw BuildError("An index holds at most " + std::to_string(kMaxCategories) +
                     " categories; \"" + std::string(name) + "\" would be one too many.");
  }
  categories_.emplace_back(name);
  sinks_.emplace_back(*this, static_cast<std::uint8_t>(categories_.size() - 1));
  return static_cast<CategoryId>(categories_.size() - 1);
}

void DomainIndexBuilder::addBlocked(std::string_view name, CategoryId category) {
  add(name, category);
}

void DomainIndexBuilder::addAllowed(std::string_view name) {
  add(name, kAllowTag);
}

EntrySink& DomainIndexBuilder::categorySink(CategoryId category) {
  return sinks_.at(category);
}

EntrySink& DomainIndexBuilder::allowSink() {
  return allow_;
}

void DomainIndexBuilder::Sink::add(std::string_view name, bool allow) {
  builder_.add(name, allow ? kAllowTag : tag_);
}

void DomainIndexBuilder::add(std::string_view name, std::uint8_t tag) {
  if (chunks_.empty() || chunks_.back().size() == kChunkEntries) {
    chunks_.emplace_back().reserve(kChunkEntries);
  }
  chunks_.back().push_back(fullKey(name, seed_) << 8 | tag);
}

std::vector<std::uint64_t> DomainIndexBuilder::takeSortedEntries() {
  // One exact-size array: the chunks are freed as they are copied, so the peak is one array
  // plus one chunk.
  std::vector<std::uint64_t> entries;
  std::size_t total = 0;
  for (const auto& chunk : chunks_) total += chunk.size();
  entries.reserve(total);
  for (auto& chunk : chunks_) {
    entries.insert(entries.end(), chunk.begin(), chunk.end());
    std::vector<std::uint64_t>().swap(chunk);
  }
  chunks_.clear();
  std::sort(entries.begin(), entries.end());
  return entries;
}

DomainIndexBuilder::Merged DomainIndexBuilder::merge(std::vector<std::uint64_t>& entries,
                                                     BuildSummary& summary) {
  // Each name's tags become one category set, in place: the keys move to the front of
  // `entries`, and each name gets the id of its set.
  Merged merged;
  std::map<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>, std::uint16_t> setIds;
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i == 0 || (entries[i] >> 8) != (entries[i - 1] >> 8)) ++distinct;
  }
  merged.setIds.reserve(distinct);
  std::size_t names = 0;
  for (std::size_t i = 0; i < entries.size();) {
    const std::uint64_t key = entries[i] >> 8;
    format::SetRecord set{0, 0, 0};
    std::uint64_t previous = ~std::uint64_t{0};
    for (; i < entries.size() && (entries[i] >> 8) == key; ++i) {
      if (entries[i] == previous) ++summary.duplicates;
      previous = entries[i];
      const auto tag = static_cast<std::uint8_t>(entries[i] & 0xff);
      if (tag == kAllowTag) {
        set.flags |= format::kSetAllowFlag;
      } else if (tag < 64) {
        set.low |= std::uint64_t{1} << tag;
      } else {
        set.high |= std::uint64_t{1} << (tag - 64);
      }
    }
    if ((set.flags & format::kSetAllowFlag) != 0) ++summary.allowNames;
    const auto [found, inserted] = setIds.try_emplace(
        {set.low, set.high, set.flags}, static_cast<std::uint16_t>(merged.sets.size()));
    if (inserted) {
      if (merged.sets.size() == kMaxSets) {
        throw BuildError("The lists make more than " + std::to_string(kMaxSets) +
                         " different combinations of categories; an index holds at most that.");
      }
      merged.sets.push_back(set);
    }
    entries[names++] = key;
    merged.setIds.push_back(found->second);
  }
  entries.resize(names);
  return merged;
}

BuildSummary DomainIndexBuilder::write(const std::string& path, const BuildOptions& options) {
  BuildSummary summary;
  auto entries = takeSortedEntries();
  summary.entries = entries.size();
  const auto [sets, entrySets] = merge(entries, summary);
  const std::uint64_t names = entries.size();
  summary.names = names;
  summary.categorySets = sets.size();
  if (names > std::numeric_limits<std::uint32_t>::max()) {
    throw BuildError("An index holds at most 4,294,967,295 names.");
  }

  const std::uint32_t bucketBits = bucketBitsFor(names);
  std::vector<std::uint32_t> buckets((std::size_t{1} << bucketBits) + 1, 0);
  for (const auto key : entries) ++buckets[(key >> (format::kKeyBits - bucketBits)) + 1];
  for (std::size_t b = 1; b < buckets.size(); ++b) buckets[b] += buckets[b - 1];

  format::Header header{};
  std::memcpy(header.magic, format::kMagic, sizeof header.magic);
  header.formatVersion = format::kFormatVersion;
  header.headerSize = sizeof header;
  header.buildTime =
      options.buildTime != 0
          ? options.buildTime
          : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  header.indexVersion = options.indexVersion != 0 ? options.indexVersion : header.buildTime;
  header.hashSeed = seed_;
  header.categoryCount = static_cast<std::uint32_t>(categories_.size());
  header.setCount = static_cast<std::uint32_t>(sets.size());
  header.entryCount = names;
  header.bucketBits = bucketBits;

  IndexFileWriter file(path);
  file.skipHeader();
  header.categoriesOffset = file.offset();
  for (const auto& category : categories_) {
    const auto length = static_cast<unsigned char>(category.size());
    file.body(&length, 1);
    file.body(category.data(), category.size());
  }
  file.align();
  header.setsOffset = file.offset();
  file.body(sets.data(), sets.size() * sizeof(format::SetRecord));
  header.keysOffset = file.offset();
  file.body(entries.data(), entries.size() * sizeof(std::uint64_t));
  header.setIdsOffset = file.offset();
  file.body(entrySets.data(), entrySets.size() * sizeof(std::uint16_t));
  file.align();
  header.bucketsOffset = file.offset();
  file.body(buckets.data(), buckets.size() * sizeof(std::uint32_t));
  file.align();
  file.finish(header);

  summary.fileBytes = header.fileSize;
  summary.indexVersion = header.indexVersion;
  return summary;
}

}  // namespace clubsafe::common::domain_index
