#include "agent/dns/wire.hpp"

#include "tests/unit/agent/dns/packet_builder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace clubsafe::agent::dns {
namespace {

using testing::makeQuery;
using testing::PacketBuilder;

QueryStatus parse(const PacketBuilder& packet, Query& query) {
  return parseQuery(packet.span(), query);
}

TEST(WireTest, ReadsAQueryAsDigSendsIt) {
  const auto packet = makeQuery("WWW.Example.COM", rrtype::kAaaa, 0xbeef);
  Query query;
  ASSERT_EQ(parseQuery(packet, query), QueryStatus::Ok);
  EXPECT_EQ(query.id, 0xbeef);
  EXPECT_EQ(query.name.text(), "www.example.com");
  EXPECT_EQ(query.qtype, rrtype::kAaaa);
  EXPECT_TRUE(query.hasEdns);
  EXPECT_EQ(query.udpPayload, 1232);
  EXPECT_FALSE(query.dnssecOk);
  // The wire form keeps the case the client used.
  EXPECT_EQ(query.name.wire()[1], 'W');
}

TEST(WireTest, WithoutEdnsTheClientTakes512BytesAndASmallPayloadIsRaisedTo512) {
  Query query;
  ASSERT_EQ(parseQuery(makeQuery("a.example", rrtype::kA, 1, false), query), QueryStatus::Ok);
  EXPECT_FALSE(query.hasEdns);
  EXPECT_EQ(query.udpPayload, 512);
  PacketBuilder small;
  small.header(1, 0, 1, 0, 0, 1).question("a.example", rrtype::kA).opt(100, true);
  ASSERT_EQ(parse(small, query), QueryStatus::Ok);
  EXPECT_EQ(query.udpPayload, 512);
  EXPECT_TRUE(query.dnssecOk);
}

TEST(WireTest, TheRootNameIsEmptyText) {
  PacketBuilder packet;
  packet.header(1, 0, 1, 0, 0, 0).question("", 2);
  Query query;
  ASSERT_EQ(parse(packet, query), QueryStatus::Ok);
  EXPECT_EQ(query.name.text(), "");
}

TEST(WireTest, ShortPacketsAndResponsesAreDropped) {
  Query query;
  EXPECT_EQ(parseQuery(Bytes(), query), QueryStatus::Drop);
  const std::vector<std::uint8_t> eleven(11, 0);
  EXPECT_EQ(parseQuery(eleven, query), QueryStatus::Drop);
  PacketBuilder response;
  response.header(1, flag::kQr, 1, 0, 0, 0).question("a.example", rrtype::kA);
  EXPECT_EQ(parse(response, query), QueryStatus::Drop);
}

TEST(WireTest, OtherOpcodesAreNotImplementedAndOtherClassesRefused) {
  PacketBuilder notify;
  notify.header(1, 4 << 11, 1, 0, 0, 0).question("a.example", 6);
  Query query;
  EXPECT_EQ(parse(notify, query), QueryStatus::NotImp);
  PacketBuilder chaos;
  chaos.header(1, 0, 1, 0, 0, 0).name("version.bind").u16(16).u16(3);
  EXPECT_EQ(parse(chaos, query), QueryStatus::Refused);
}

TEST(WireTest, ZeroOrSeveralQuestionsAreFormatErrors) {
  Query query;
  PacketBuilder none;
  none.header(1, 0, 0, 0, 0, 0);
  EXPECT_EQ(parse(none, query), QueryStatus::FormErr);
  PacketBuilder two;
  two.header(1, 0, 2, 0, 0, 0).question("a.example", 1).question("b.example", 1);
  EXPECT_EQ(parse(two, query), QueryStatus::FormErr);
  PacketBuilder withAnswer;
  withAnswer.header(1, 0, 1, 1, 0, 0)
      .question("a.example", 1)
      .pointer(12)
      .record(1, 5, {1, 2, 3, 4});
  EXPECT_EQ(parse(withAnswer, query), QueryStatus::FormErr);
}

TEST(WireTest, TruncatedQuestionsAreFormatErrors) {
  const auto full = makeQuery("www.example.com", rrtype::kA, 1, false);
  Query query;
  for (std::size_t size = kHeaderSize; size < full.size(); ++size) {
    EXPECT_EQ(parseQuery(Bytes(full.data(), size), query), QueryStatus::FormErr) << size;
  }
}

TEST(WireTest, TrailingBytesAndTwoOptRecordsAreFormatErrors) {
  Query query;
  auto trailing = makeQuery("a.example", 1);
  trailing.push_back(0);
  EXPECT_EQ(parseQuery(trailing, query), QueryStatus::FormErr);
  PacketBuilder twoOpt;
  twoOpt.header(1, 0, 1, 0, 0, 2).question("a.example", 1).opt(1232).opt(1232);
  EXPECT_EQ(parse(twoOpt, query), QueryStatus::FormErr);
}

TEST(WireTest, LabelsOver63BytesAndNamesOver255BytesAreRefused) {
  Query query;
  PacketBuilder longLabel;
  longLabel.header(1, 0, 1, 0, 0, 0).question(std::string(64, 'a') + ".example", 1);
  EXPECT_EQ(parse(longLabel, query), QueryStatus::FormErr);

  // Four labels of 63 make 256 bytes of wire name with the root: one too many.
  const std::string label(63, 'b');
  PacketBuilder longName;
  longName.header(1, 0, 1, 0, 0, 0).question(label + "." + label + "." + label + "." + label, 1);
  EXPECT_EQ(parse(longName, query), QueryStatus::FormErr);
  // Three of 63 and one of 61 make exactly 255: the longest name there is.
  PacketBuilder longest;
  const auto name = label + "." + label + "." + label + "." + std::string(61, 'c');
  longest.header(1, 0, 1, 0, 0, 0).question(name, 1);
  ASSERT_EQ(parse(longest, query), QueryStatus::Ok);
  EXPECT_EQ(query.name.text(), name);
  EXPECT_EQ(query.name.wire().size(), 255u);
}

TEST(WireTest, BytesTheFilterCannotMatchAreRefused) {
  Query query;
  for (const std::string& bad :
       {std::string("a b"), std::string("a.b"), std::string("\x01", 1), std::string("\xc3\xa9")}) {
    PacketBuilder packet;
    packet.header(1, 0, 1, 0, 0, 0).u8(static_cast<std::uint8_t>(bad.size()));
    for (const char c : bad) packet.u8(static_cast<std::uint8_t>(c));
    packet.u8(0).u16(1).u16(1);
    EXPECT_EQ(parse(packet, query), QueryStatus::FormErr) << bad;
  }
}

TEST(WireTest, CompressionPointersMustPointBackwardsAndCannotLoop) {
  Query query;
  PacketBuilder toItself;
  toItself.header(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1);
  EXPECT_EQ(parse(toItself, query), QueryStatus::FormErr);
  PacketBuilder forward;
  forward.header(1, 0, 1, 0, 0, 0).pointer(14).name("a").u16(1).u16(1);
  EXPECT_EQ(parse(forward, query), QueryStatus::FormErr);
  PacketBuilder intoHeader;  // the header's bytes 0x00 0x00 read as the root: harmless
  intoHeader.header(0, 0, 1, 0, 0, 0).pointer(0).u16(1).u16(1);
  EXPECT_EQ(parse(intoHeader, query), QueryStatus::Ok);

  // A label followed by a pointer back to itself: a loop if pointers could go anywhere earlier.
  std::vector<std::uint8_t> loop;
  PacketBuilder answer;
  answer.header(1, flag::kQr, 1, 1, 0, 0).question("a.example", 1);
  const auto owner = answer.bytes().size();
  answer.labels("x").pointer(static_cast<std::uint16_t>(owner)).record(1, 60, {1, 2, 3, 4});
  EXPECT_EQ(skipRecord(answer.span(), owner, nullptr, nullptr, nullptr), 0u);
  Name name;
  std::size_t next = 0;
  EXPECT_FALSE(NameReader::read(answer.span(), owner, &name, next, false));
}

TEST(WireTest, ReadsCompressedNamesInAnswers) {
  PacketBuilder answer;
  answer.header(1, flag::kQr, 1, 1, 0, 0).question("www.example.com", 1);
  const auto owner = answer.bytes().size();
  answer.labels("mail").pointer(16).record(1, 60, {1, 2, 3, 4});
  Name name;
  std::size_t next = 0;
  ASSERT_TRUE(NameReader::read(answer.span(), owner, &name, next, true));
  EXPECT_EQ(name.text(), "mail.example.com");
  EXPECT_EQ(next, owner + 5 + 2);
}

TEST(WireTest, NameFromTextRefusesWhatIsNotAName) {
  Name name;
  EXPECT_TRUE(name.assign("forcesafesearch.google.com"));
  EXPECT_EQ(name.wire().size(), 28u);
  EXPECT_TRUE(name.assign(""));
  EXPECT_EQ(name.wire().size(), 1u);
  const std::vector<std::string> bad{"a..b", ".a", "a.", "a b", std::string(64, 'x')};
  for (const auto& text : bad) {
    EXPECT_FALSE(name.assign(text)) << text;
  }
}

TEST(WireTest, BlockAnswerCarriesTheBlockAddressForAAndAaaa) {
  BlockAddresses addresses;
  addresses.v4 = {10, 0, 0, 1};
  addresses.v6[15] = 1;
  Buffer out;
  for (const auto type : {rrtype::kA, rrtype::kAaaa, std::uint16_t{65}}) {
    Query query;
    ASSERT_EQ(parseQuery(makeQuery("blocked.test", type, 77), query), QueryStatus::Ok);
    buildBlockAnswer(query, addresses, 60, out);
    ASSERT_TRUE(answersQuery(out, query));
    AnswerFacts facts;
    ASSERT_TRUE(inspectAnswer(out, 86400, facts));
    EXPECT_EQ(facts.rcode, Rcode::NoError);
    const auto answers = readU16(out, 6);
    EXPECT_EQ(readU16(out, 10), 1);  // our OPT, because the client sent one
    if (type == 65) {
      EXPECT_EQ(answers, 0);  // NODATA for other types
      continue;
    }
    ASSERT_EQ(answers, 1);
    const auto record = kHeaderSize + query.name.wire().size() + 4;
    std::uint16_t recordType = 0;
    std::size_t ttlOffset = 0;
    std::size_t rdata = 0;
    ASSERT_NE(skipRecord(out, record, &recordType, &ttlOffset, &rdata), 0u);
    EXPECT_EQ(recordType, type);
    EXPECT_EQ(readU32(out, ttlOffset), 60u);
    if (type == rrtype::kA) {
      EXPECT_EQ(Buffer(out.begin() + static_cast<std::ptrdiff_t>(rdata),
                       out.begin() + static_cast<std::ptrdiff_t>(rdata) + 4),
                Buffer({10, 0, 0, 1}));
    } else {
      EXPECT_EQ(out[rdata + 15], 1);
    }
  }
}

TEST(WireTest, RcodeAnswersKeepIdQuestionAndRecursionFlags) {
  Query query;
  ASSERT_EQ(parseQuery(makeQuery("gone.test", rrtype::kA, 4242, false), query), QueryStatus::Ok);
  Buffer out;
  buildRcodeAnswer(query, Rcode::NxDomain, out);
  EXPECT_TRUE(answersQuery(out, query));
  const auto flags = readU16(out, 2);
  EXPECT_EQ(flags & flag::kRcodeMask, 3);
  EXPECT_NE(flags & flag::kRd, 0);
  EXPECT_NE(flags & flag::kRa, 0);
  EXPECT_EQ(readU16(out, 10), 0);  // no OPT to a client that sent none
}

TEST(WireTest, HeaderAnswerForGarbageThatStillHasAHeader) {
  std::vector<std::uint8_t> garbage{0xab, 0xcd, 0x01, 0x00, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0xff};
  Buffer out;
  buildHeaderAnswer(garbage, Rcode::FormErr, out);
  ASSERT_EQ(out.size(), kHeaderSize);
  EXPECT_EQ(readU16(out, 0), 0xabcd);
  EXPECT_EQ(readU16(out, 2) & flag::kRcodeMask, 1);
  EXPECT_NE(readU16(out, 2) & flag::kQr, 0);
  EXPECT_EQ(readU16(out, 4), 0);
}

TEST(WireTest, NegativeAnswersAreCachedForTheSoaMinimumAndPositiveForTheSmallestTtl) {
  PacketBuilder positive;
  positive.header(1, flag::kQr | flag::kRd | flag::kRa, 1, 2, 0, 1).question("a.example", 1);
  positive.pointer(12).record(1, 300, {1, 2, 3, 4}).pointer(12).record(1, 120, {1, 2, 3, 5});
  positive.opt(1232);
  std::vector<std::uint16_t> offsets;
  AnswerFacts facts;
  facts.ttlOffsets = &offsets;
  ASSERT_TRUE(inspectAnswer(positive.span(), 86400, facts));
  EXPECT_EQ(facts.cacheSeconds, 120u);
  EXPECT_EQ(offsets.size(), 2u);  // not the OPT's
  ASSERT_TRUE(inspectAnswer(positive.span(), 100, facts));
  EXPECT_EQ(facts.cacheSeconds, 100u);

  PacketBuilder negative;
  negative.header(1, flag::kQr | 3, 1, 0, 1, 0)
      .question("gone.example", 1)
      .pointer(12)
      .soa(3600, 30);
  ASSERT_TRUE(inspectAnswer(negative.span(), 86400, facts));
  EXPECT_EQ(facts.rcode, Rcode::NxDomain);
  EXPECT_EQ(facts.cacheSeconds, 30u);

  PacketBuilder noSoa;
  noSoa.header(1, flag::kQr | 3, 1, 0, 0, 0).question("gone.example", 1);
  ASSERT_TRUE(inspectAnswer(noSoa.span(), 86400, facts));
  EXPECT_EQ(facts.cacheSeconds, 0u);

  PacketBuilder servfail;
  servfail.header(1, flag::kQr | 2, 1, 0, 0, 0).question("a.example", 1);
  ASSERT_TRUE(inspectAnswer(servfail.span(), 86400, facts));
  EXPECT_EQ(facts.cacheSeconds, 0u);
}

TEST(WireTest, AnswersMustMatchIdAndQuestion) {
  Query query;
  ASSERT_EQ(parseQuery(makeQuery("a.example", 1, 9), query), QueryStatus::Ok);
  PacketBuilder right;
  right.header(9, flag::kQr, 1, 0, 0, 0).question("A.EXAMPLE", 1);
  EXPECT_TRUE(answersQuery(right.span(), query));
  PacketBuilder wrongId;
  wrongId.header(10, flag::kQr, 1, 0, 0, 0).question("a.example", 1);
  EXPECT_FALSE(answersQuery(wrongId.span(), query));
  PacketBuilder wrongName;
  wrongName.header(9, flag::kQr, 1, 0, 0, 0).question("b.example", 1);
  EXPECT_FALSE(answersQuery(wrongName.span(), query));
  PacketBuilder wrongType;
  wrongType.header(9, flag::kQr, 1, 0, 0, 0).question("a.example", 28);
  EXPECT_FALSE(answersQuery(wrongType.span(), query));
}

TEST(WireTest, RewriteSplicesTheTargetsRecordsAfterACname) {
  Query query;
  ASSERT_EQ(parseQuery(makeQuery("www.google.com", rrtype::kA, 5), query), QueryStatus::Ok);
  Name target;
  ASSERT_TRUE(target.assign("forcesafesearch.google.com"));
  // The upstream's answer, compressed the way servers write it, with a CNAME chain.
  PacketBuilder upstream;
  upstream.header(0, flag::kQr | flag::kRa, 1, 2, 0, 0).question("forcesafesearch.google.com", 1);
  upstream.pointer(12).record(rrtype::kCname, 300, {3, 'f', 's', 's', 0xc0, 28});
  upstream.labels("fss").pointer(28).record(1, 60, {216, 239, 38, 120});
  Buffer out;
  ASSERT_TRUE(buildRewriteAnswer(query, target, 60, upstream.span(), out));
  ASSERT_TRUE(answersQuery(out, query));
  EXPECT_EQ(readU16(out, 6), 3);

  // Walk the records: CNAME to the target, the upstream's CNAME written out in full, the A.
  std::size_t offset = kHeaderSize + query.name.wire().size() + 4;
  std::vector<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    Name owner;
    std::size_t fixed = 0;
    ASSERT_TRUE(NameReader::read(out, offset, &owner, fixed, true));
    std::uint16_t type = 0;
    std::size_t rdata = 0;
    offset = skipRecord(out, offset, &type, nullptr, &rdata);
    ASSERT_NE(offset, 0u);
    std::string what = std::string(owner.text()) + " " + std::to_string(type);
    if (type == rrtype::kCname) {
      Name data;
      std::size_t after = 0;
      ASSERT_TRUE(NameReader::read(out, rdata, &data, after, true));
      what += " " + std::string(data.text());
    }
    seen.push_back(what);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"www.google.com 5 forcesafesearch.google.com",
                                            "forcesafesearch.google.com 5 fss.google.com",
                                            "fss.google.com 1"}));
  AnswerFacts facts;
  EXPECT_TRUE(inspectAnswer(out, 86400, facts));
}

TEST(WireTest, TooLongForUdpBecomesATruncatedAnswer) {
  Query query;
  ASSERT_EQ(parseQuery(makeQuery("big.example", 16, 3, false), query), QueryStatus::Ok);
  Buffer out(600, 0);
  truncateTo(query, 512, out);
  ASSERT_TRUE(answersQuery(out, query));
  EXPECT_NE(readU16(out, 2) & flag::kTc, 0);
  Buffer small(100, 7);
  truncateTo(query, 512, small);
  EXPECT_EQ(small, Buffer(100, 7));
}

TEST(WireTest, BuiltQueriesParseBack) {
  Name name;
  ASSERT_TRUE(name.assign("restrict.youtube.com"));
  Buffer out;
  buildQuery(name, rrtype::kAaaa, 99, out);
  Query query;
  ASSERT_EQ(parseQuery(out, query), QueryStatus::Ok);
  EXPECT_EQ(query.name.text(), "restrict.youtube.com");
  EXPECT_EQ(query.qtype, rrtype::kAaaa);
  EXPECT_EQ(query.id, 99);
  EXPECT_NE(query.flags & flag::kRd, 0);
}

}  // namespace
}  // namespace clubsafe::agent::dns
