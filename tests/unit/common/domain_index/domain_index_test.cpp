#include "common/domain_index/domain_index.hpp"

#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/domain_index_holder.hpp"
#include "common/domain_index/index_format.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/common/domain_index/test_index.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

namespace clubsafe::common::domain_index {
namespace {

class DomainIndexTest : public ::testing::Test {
 protected:
  DomainIndexTest() {
    gambling_ = builder_.addCategory("gambling");
    malware_ = builder_.addCategory("malware");
  }

  std::shared_ptr<const DomainIndex> build(const BuildOptions& options = {}) {
    summary_ = builder_.write(path(), options);
    return DomainIndex::open(path());
  }
  std::string path() const { return dir_.file("index.bin"); }

  std::string readFile() const { return testing::readBytes(path()); }
  void writeFile(const std::string& bytes) const {
    std::ofstream(path(), std::ios::binary | std::ios::trunc) << bytes;
  }
  // Expects the file to be refused with a message containing `problem`.
  void expectRefused(const std::string& problem) const {
    try {
      (void)DomainIndex::open(path());
      FAIL() << "the index was loaded";
    } catch (const DomainIndexError& error) {
      EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
    }
  }

  CategorySet only(CategoryId id) const { return CategorySet().set(id); }

  clubsafe::testing::TempDir dir_;
  DomainIndexBuilder builder_{42};
  CategoryId gambling_ = 0;
  CategoryId malware_ = 0;
  BuildSummary summary_;
};

TEST_F(DomainIndexTest, MatchesANameAndEverySubdomain) {
  builder_.addBlocked("example.com", gambling_);
  const auto index = build();
  EXPECT_EQ(index->lookup("example.com").categories, only(gambling_));
  EXPECT_EQ(index->lookup("www.example.com").categories, only(gambling_));
  EXPECT_EQ(index->lookup("a.b.c.example.com").categories, only(gambling_));
  EXPECT_FALSE(index->lookup("com").blocked());
  EXPECT_FALSE(index->lookup("example.org").blocked());
  EXPECT_FALSE(index->lookup("example.com.evil.net").blocked());
}

TEST_F(DomainIndexTest, LookalikesAreNotMatches) {
  builder_.addBlocked("example.com", gambling_);
  const auto index = build();
  EXPECT_FALSE(index->lookup("notexample.com").blocked());
  EXPECT_FALSE(index->lookup("example.co").blocked());
  EXPECT_FALSE(index->lookup("xample.com").blocked());
  EXPECT_FALSE(index->lookup("example-com").blocked());
  EXPECT_FALSE(index->lookup("wwwexample.com").blocked());
}

TEST_F(DomainIndexTest, NormalisesCaseAndTrailingDotAndRefusesBadNames) {
  builder_.addBlocked("example.com", gambling_);
  const auto index = build();
  EXPECT_TRUE(index->lookup("EXAMPLE.Com.").blocked());
  EXPECT_TRUE(index->lookup("Www.Example.COM").blocked());
  EXPECT_FALSE(index->lookup("exa mple.com").blocked());
  EXPECT_FALSE(index->lookup("www..example.com").blocked());
  EXPECT_FALSE(index->lookup(std::string(300, 'a') + ".example.com").blocked());
  EXPECT_FALSE(index->lookup("").blocked());
}

TEST_F(DomainIndexTest, CategoriesOfParentsAndTheNameAddUp) {
  builder_.addBlocked("example.com", gambling_);
  builder_.addBlocked("bad.example.com", malware_);
  builder_.addBlocked("bad.example.com", gambling_);
  const auto index = build();
  EXPECT_EQ(index->lookup("x.bad.example.com").categories, only(gambling_) | only(malware_));
  EXPECT_EQ(index->lookup("good.example.com").categories, only(gambling_));
  EXPECT_EQ(index->describe(index->lookup("bad.example.com").categories), "gambling, malware");
  EXPECT_EQ(summary_.names, 2u);
  EXPECT_EQ(summary_.entries, 3u);
}

TEST_F(DomainIndexTest, AllowBeatsABlockOfAParent) {
  builder_.addBlocked("example.com", gambling_);
  builder_.addAllowed("news.example.com");
  const auto index = build();
  const auto allowed = index->lookup("news.example.com");
  EXPECT_FALSE(allowed.blocked());
  EXPECT_TRUE(allowed.allowed);
  EXPECT_TRUE(index->lookup("img.news.example.com").allowed);
  EXPECT_EQ(allowed.overridden, only(gambling_));
  EXPECT_TRUE(index->lookup("www.example.com").blocked());
  EXPECT_TRUE(index->lookup("www.example.com").overridden.none());
}

TEST_F(DomainIndexTest, AllowBeatsABlockOfTheSameName) {
  builder_.addBlocked("example.com", gambling_);
  builder_.addAllowed("example.com");
  const auto index = build();
  EXPECT_TRUE(index->lookup("example.com").allowed);
  EXPECT_FALSE(index->lookup("example.com").blocked());
  EXPECT_FALSE(index->lookup("www.example.com").blocked());
  EXPECT_EQ(index->lookup("www.example.com").overridden, only(gambling_));
  EXPECT_EQ(summary_.allowNames, 1u);
}

TEST_F(DomainIndexTest, ABlockBelowAnAllowStillBlocks) {
  builder_.addAllowed("example.com");
  builder_.addBlocked("ads.example.com", malware_);
  const auto index = build();
  EXPECT_EQ(index->lookup("x.ads.example.com").categories, only(malware_));
  EXPECT_FALSE(index->lookup("x.ads.example.com").allowed);
  EXPECT_TRUE(index->lookup("www.example.com").allowed);
}

TEST_F(DomainIndexTest, CountsDuplicatesAndKeepsHeaderFacts) {
  builder_.addBlocked("example.com", gambling_);
  builder_.addBlocked("example.com", gambling_);
  builder_.addBlocked("example.org", malware_);
  BuildOptions options;
  options.indexVersion = 7;
  options.buildTime = 1'700'000'000;
  const auto index = build(options);
  EXPECT_EQ(summary_.duplicates, 1u);
  EXPECT_EQ(summary_.names, 2u);
  EXPECT_EQ(index->entryCount(), 2u);
  EXPECT_EQ(index->indexVersion(), 7u);
  EXPECT_EQ(index->buildTime(), 1'700'000'000u);
  EXPECT_EQ(index->formatVersion(), format::kFormatVersion);
  EXPECT_EQ(index->categories(), (std::vector<std::string>{"gambling", "malware"}));
  EXPECT_EQ(index->findCategory("malware"), malware_);
  EXPECT_EQ(index->findCategory("porn"), std::nullopt);
  EXPECT_EQ(index->fileSize(), summary_.fileBytes);
}

TEST_F(DomainIndexTest, ManyNamesAllFoundAndOthersNot) {
  for (int i = 0; i < 50000; ++i) {
    builder_.addBlocked("site" + std::to_string(i) + ".example", i % 2 == 0 ? gambling_ : malware_);
  }
  const auto index = build();
  EXPECT_LE(summary_.bytesPerName(), 12.0);
  for (int i = 0; i < 50000; ++i) {
    const auto name = "www.site" + std::to_string(i) + ".example";
    ASSERT_EQ(index->lookup(name).categories, only(i % 2 == 0 ? gambling_ : malware_)) << name;
    ASSERT_FALSE(index->lookup("site" + std::to_string(i) + ".other").blocked());
  }
}

TEST_F(DomainIndexTest, AnEmptyIndexMatchesNothing) {
  const auto index = build();
  EXPECT_EQ(index->entryCount(), 0u);
  EXPECT_FALSE(index->lookup("example.com").blocked());
}

TEST(DomainIndexBuilder, RefusesBadAndTooManyCategories) {
  DomainIndexBuilder builder(1);
  EXPECT_THROW(builder.addCategory("Bad Name"), BuildError);
  EXPECT_THROW(builder.addCategory(""), BuildError);
  EXPECT_EQ(builder.addCategory("a"), builder.addCategory("a"));
  for (std::size_t i = 1; i < kMaxCategories; ++i) builder.addCategory("c" + std::to_string(i));
  EXPECT_THROW(builder.addCategory("one-too-many"), BuildError);
}

TEST_F(DomainIndexTest, WritesAtomicallyOverAnOldFile) {
  builder_.addBlocked("old.example", gambling_);
  const auto old = build();
  builder_.addBlocked("new.example", gambling_);
  const auto fresh = build();
  // The old mapping still reads the old file's contents: the new one replaced it by rename.
  EXPECT_TRUE(old->lookup("old.example").blocked());
  EXPECT_FALSE(old->lookup("new.example").blocked());
  EXPECT_TRUE(fresh->lookup("new.example").blocked());
  EXPECT_FALSE(fresh->lookup("old.example").blocked());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    ++files;
  EXPECT_EQ(files, 1u) << "a temporary file was left behind";
}

TEST_F(DomainIndexTest, RefusesATruncatedFile) {
  builder_.addBlocked("example.com", gambling_);
  (void)build();
  const auto bytes = readFile();
  writeFile(bytes.substr(0, bytes.size() - 5));
  expectRefused("is truncated");
  writeFile(bytes.substr(0, 20));
  expectRefused("shorter than its header");
  writeFile("");
  expectRefused("is truncated");
}

TEST_F(DomainIndexTest, RefusesACorruptFile) {
  builder_.addBlocked("example.com", gambling_);
  (void)build();
  auto bytes = readFile();
  bytes[bytes.size() - 3] ^= 0x40;
  writeFile(bytes);
  expectRefused("checksum does not match");
}

TEST_F(DomainIndexTest, RefusesAnotherFormatVersionAndOtherFiles) {
  builder_.addBlocked("example.com", gambling_);
  (void)build();
  auto bytes = readFile();
  const std::uint32_t version = format::kFormatVersion + 1;
  std::memcpy(bytes.data() + offsetof(format::Header, formatVersion), &version, sizeof version);
  writeFile(bytes);
  expectRefused("has format version 2 but this program reads version 1");
  writeFile(std::string(200, 'x'));
  expectRefused("is not a clubsafe domain index");
}

TEST_F(DomainIndexTest, RefusesAMissingFile) {
  try {
    (void)DomainIndex::open(dir_.file("missing.bin"));
    FAIL() << "loaded a missing file";
  } catch (const DomainIndexError& error) {
    EXPECT_NE(std::string(error.what()).find("missing.bin"), std::string::npos);
  }
}

TEST_F(DomainIndexTest, LoadsFromBytesLikeFromAFile) {
  builder_.addBlocked("example.com", gambling_);
  (void)build();
  const auto index = DomainIndex::fromBytes(readFile());
  EXPECT_TRUE(index->lookup("www.example.com").blocked());
  EXPECT_THROW((void)DomainIndex::fromBytes(readFile().substr(1)), DomainIndexError);
}

TEST(DomainIndexHolder, SwapsUnderConcurrentLookups) {
  clubsafe::testing::TempDir dir;
  // Two indexes: one blocks only first.example, the other only second.example. Every reader's
  // snapshot must be one or the other, never a mix or nothing.
  std::vector<std::shared_ptr<const DomainIndex>> indexes;
  for (const auto* name : {"first.example", "second.example"}) {
    DomainIndexBuilder builder;
    const auto category = builder.addCategory("test");
    for (int i = 0; i < 1000; ++i)
      builder.addBlocked("filler" + std::to_string(i) + ".example", category);
    builder.addBlocked(name, category);
    const auto path = dir.file(std::string(name) + ".bin");
    (void)builder.write(path);
    indexes.push_back(DomainIndex::open(path));
  }
  DomainIndexHolder holder(indexes[0]);
  std::weak_ptr<const DomainIndex> firstWeak = indexes[0];
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> lookups{0};
  std::atomic<std::uint64_t> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        const auto snapshot = holder.current();
        const bool first = snapshot->lookup("www.first.example").blocked();
        const bool second = snapshot->lookup("www.second.example").blocked();
        if (first == second || !snapshot->lookup("filler7.example").blocked()) ++failures;
        ++lookups;
      }
    });
  }
  for (int swap = 0; swap < 2000; ++swap) {
    holder.replace(indexes[static_cast<std::size_t>(swap % 2)]);
    if (swap % 100 == 0) std::this_thread::yield();
  }
  // Load fresh copies while readers run, then drop every other reference to the first one.
  holder.replace(DomainIndex::open(dir.file("second.example.bin")));
  indexes.clear();
  while (lookups.load() < 10000) std::this_thread::yield();
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0u);
  EXPECT_TRUE(firstWeak.expired()) << "the replaced index was not released";
  EXPECT_TRUE(holder.current()->lookup("second.example").blocked());
}

}  // namespace
}  // namespace clubsafe::common::domain_index
