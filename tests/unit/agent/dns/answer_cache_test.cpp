#include "agent/dns/answer_cache.hpp"

#include "tests/unit/agent/dns/packet_builder.hpp"

#include <gtest/gtest.h>

namespace clubsafe::agent::dns {
namespace {

using namespace std::chrono_literals;
using testing::makeQuery;
using testing::PacketBuilder;

Query parsed(std::string_view name, std::uint16_t type = rrtype::kA, std::uint16_t id = 1) {
  Query query;
  EXPECT_EQ(parseQuery(makeQuery(name, type, id), query), QueryStatus::Ok);
  return query;
}

Buffer answerFor(std::string_view name, std::uint32_t ttl, std::uint16_t id = 1) {
  PacketBuilder answer;
  answer.header(id, flag::kQr | flag::kRd | flag::kRa, 1, 1, 0, 1).question(name, rrtype::kA);
  answer.pointer(12).record(rrtype::kA, ttl, {192, 0, 2, 1}).opt(1232);
  return answer.bytes();
}

std::uint32_t firstTtl(const Buffer& answer) {
  std::vector<std::uint16_t> offsets;
  AnswerFacts facts;
  facts.ttlOffsets = &offsets;
  EXPECT_TRUE(inspectAnswer(answer, 86400, facts));
  return readU32(answer, offsets.at(0));
}

TEST(AnswerCacheTest, AHitHasTheClientsIdAndTtlsLoweredByTheTimeKept) {
  AnswerCache cache(10);
  const auto start = AnswerCache::Clock::now();
  cache.insert(parsed("a.example"), answerFor("a.example", 300), start);
  Buffer out;
  ASSERT_TRUE(cache.lookup(parsed("A.Example", rrtype::kA, 0x7777), start + 100s, out));
  EXPECT_EQ(readU16(out, 0), 0x7777);
  EXPECT_EQ(firstTtl(out), 200u);
  EXPECT_EQ(readU16(out, 10), 1);  // the OPT is kept as it was
}

TEST(AnswerCacheTest, EntriesExpireWithTheirTtl) {
  AnswerCache cache(10);
  const auto start = AnswerCache::Clock::now();
  cache.insert(parsed("a.example"), answerFor("a.example", 30), start);
  Buffer out;
  EXPECT_TRUE(cache.lookup(parsed("a.example"), start + 29s, out));
  EXPECT_FALSE(cache.lookup(parsed("a.example"), start + 30s, out));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(AnswerCacheTest, TypeAndEdnsAreSeparateEntries) {
  AnswerCache cache(10);
  const auto now = AnswerCache::Clock::now();
  cache.insert(parsed("a.example"), answerFor("a.example", 300), now);
  Buffer out;
  EXPECT_FALSE(cache.lookup(parsed("a.example", rrtype::kAaaa), now, out));
  Query withoutEdns;
  ASSERT_EQ(parseQuery(makeQuery("a.example", rrtype::kA, 1, false), withoutEdns), QueryStatus::Ok);
  EXPECT_FALSE(cache.lookup(withoutEdns, now, out));
}

TEST(AnswerCacheTest, TheLeastRecentlyUsedGoesWhenFull) {
  AnswerCache cache(2);
  const auto now = AnswerCache::Clock::now();
  cache.insert(parsed("a.example"), answerFor("a.example", 300), now);
  cache.insert(parsed("b.example"), answerFor("b.example", 300), now);
  Buffer out;
  ASSERT_TRUE(cache.lookup(parsed("a.example"), now, out));  // a is now the most recent
  cache.insert(parsed("c.example"), answerFor("c.example", 300), now);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.lookup(parsed("a.example"), now, out));
  EXPECT_FALSE(cache.lookup(parsed("b.example"), now, out));
  EXPECT_TRUE(cache.lookup(parsed("c.example"), now, out));
}

TEST(AnswerCacheTest, NegativeAnswersAreKeptForTheSoaMinimum) {
  AnswerCache cache(10);
  const auto start = AnswerCache::Clock::now();
  PacketBuilder nx;
  nx.header(1, flag::kQr | flag::kRd | flag::kRa | 3, 1, 0, 1, 0).question("gone.example", 1);
  nx.pointer(12).soa(3600, 60);
  cache.insert(parsed("gone.example"), nx.span(), start);
  Buffer out;
  ASSERT_TRUE(cache.lookup(parsed("gone.example"), start + 59s, out));
  EXPECT_EQ(readU16(out, 2) & flag::kRcodeMask, 3);
  EXPECT_FALSE(cache.lookup(parsed("gone.example"), start + 60s, out));
}

TEST(AnswerCacheTest, FailuresTruncatedAndZeroTtlAnswersAreNotKept) {
  AnswerCache cache(10);
  const auto now = AnswerCache::Clock::now();
  PacketBuilder servfail;
  servfail.header(1, flag::kQr | 2, 1, 0, 0, 0).question("a.example", 1);
  cache.insert(parsed("a.example"), servfail.span(), now);
  auto truncated = answerFor("b.example", 300);
  writeU16(truncated, 2, static_cast<std::uint16_t>(readU16(truncated, 2) | flag::kTc));
  cache.insert(parsed("b.example"), truncated, now);
  cache.insert(parsed("c.example"), answerFor("c.example", 0), now);
  const std::vector<std::uint8_t> garbage{1, 2, 3};
  cache.insert(parsed("d.example"), garbage, now);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(AnswerCacheTest, NothingIsKeptLongerThanADay) {
  AnswerCache cache(10);
  const auto start = AnswerCache::Clock::now();
  cache.insert(parsed("a.example"), answerFor("a.example", 7 * 86400), start);
  Buffer out;
  EXPECT_TRUE(cache.lookup(parsed("a.example"), start + 86399s, out));
  EXPECT_FALSE(cache.lookup(parsed("a.example"), start + 86400s, out));
}

}  // namespace
}  // namespace clubsafe::agent::dns
