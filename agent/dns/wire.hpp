#pragma once

// The DNS wire format (RFC 1035, EDNS0 from RFC 6891), only as far as the filter needs it:
// read one question strictly, walk the records of an answer, and build the few answers the
// filter makes itself. Nothing here allocates except appending to a caller's buffer (whose
// capacity is reused from query to query), throws, or logs.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns {

using Bytes = std::span<const std::uint8_t>;
using Buffer = std::vector<std::uint8_t>;

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kMaxWireName = 255;  // RFC 1035 2.3.4, counting length bytes
inline constexpr std::size_t kMaxLabel = 63;
inline constexpr std::size_t kMaxUdpWithoutEdns = 512;
inline constexpr std::uint16_t kOurUdpPayload = 1232;  // the DNS flag day 2020 size
inline constexpr std::size_t kMaxMessage = 65535;

namespace rrtype {
inline constexpr std::uint16_t kA = 1;
inline constexpr std::uint16_t kCname = 5;
inline constexpr std::uint16_t kSoa = 6;
inline constexpr std::uint16_t kAaaa = 28;
inline constexpr std::uint16_t kOpt = 41;
}  // namespace rrtype
inline constexpr std::uint16_t kClassIn = 1;

enum class Rcode : std::uint8_t {
  NoError = 0,
  FormErr = 1,
  ServFail = 2,
  NxDomain = 3,
  NotImp = 4,
  Refused = 5,
};

namespace flag {
inline constexpr std::uint16_t kQr = 0x8000;
inline constexpr std::uint16_t kOpcodeMask = 0x7800;
inline constexpr std::uint16_t kTc = 0x0200;
inline constexpr std::uint16_t kRd = 0x0100;
inline constexpr std::uint16_t kRa = 0x0080;
inline constexpr std::uint16_t kCd = 0x0010;
inline constexpr std::uint16_t kRcodeMask = 0x000f;
}  // namespace flag

[[nodiscard]] inline std::uint16_t readU16(Bytes packet, std::size_t at) {
  return static_cast<std::uint16_t>((packet[at] << 8) | packet[at + 1]);
}
[[nodiscard]] inline std::uint32_t readU32(Bytes packet, std::size_t at) {
  return (std::uint32_t{packet[at]} << 24) | (std::uint32_t{packet[at + 1]} << 16) |
         (std::uint32_t{packet[at + 2]} << 8) | std::uint32_t{packet[at + 3]};
}
void writeU16(std::span<std::uint8_t> packet, std::size_t at, std::uint16_t value);
void writeU32(std::span<std::uint8_t> packet, std::size_t at, std::uint32_t value);

// A domain name as read from a packet: its uncompressed wire form with the case it came in,
// and its normalised text (lower case, dot-separated, no trailing dot; empty for the root).
// Fixed-size storage, so reading one never allocates.
class Name {
 public:
  [[nodiscard]] Bytes wire() const { return {wire_.data(), wireSize_}; }
  [[nodiscard]] std::string_view text() const { return {text_.data(), textSize_}; }
  // From normalised text such as "forcesafesearch.google.com"; false if it is not a valid name.
  [[nodiscard]] bool assign(std::string_view text);

 private:
  friend class NameReader;
  std::array<std::uint8_t, kMaxWireName> wire_{};
  std::array<char, kMaxWireName - 1> text_{};
  std::size_t wireSize_ = 0;
  std::size_t textSize_ = 0;
};

// Reads a name at `offset`, following compression pointers. Each pointer must point before
// the start of everything read so far, which both matches how names are compressed and makes
// a loop impossible. Labels with bytes other than printable ASCII (or a dot inside a label) are
// refused when `strictText`, because the filter could not match them reliably.
class NameReader {
 public:
  // Returns false for a truncated or malformed name; on success `next` is the offset after the
  // name where it is written (after the first pointer, if any).
  [[nodiscard]] static bool read(Bytes packet, std::size_t offset, Name* name, std::size_t& next,
                                 bool strictText);
};

struct Query {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  Name name;
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  bool hasEdns = false;
  bool dnssecOk = false;
  std::uint16_t udpPayload = kMaxUdpWithoutEdns;  // what the client can take over UDP
};

enum class QueryStatus {
  Ok,
  Drop,     // not even a query header, or a response: say nothing
  FormErr,  // a query header, but the rest is malformed
  NotImp,   // an opcode other than QUERY
  Refused,  // a class other than IN
};

// Strict: one question, no answer or authority records, at most one OPT record, and nothing
// after the last record.
[[nodiscard]] QueryStatus parseQuery(Bytes packet, Query& query);

// Offset just after the record starting at `offset`, or 0 if it runs past the packet.
// `type`, `ttlOffset` and `rdataOffset` are filled in when not null.
[[nodiscard]] std::size_t skipRecord(Bytes packet, std::size_t offset, std::uint16_t* type,
                                     std::size_t* ttlOffset, std::size_t* rdataOffset);

// What a cache needs to know about an upstream answer.
struct AnswerFacts {
  Rcode rcode = Rcode::NoError;
  bool truncated = false;
  std::uint32_t cacheSeconds = 0;                    // 0: do not cache
  std::vector<std::uint16_t>* ttlOffsets = nullptr;  // filled with every TTL but OPT's
};

// True if `answer` is a well-formed response to `query` (same id, same question).
[[nodiscard]] bool answersQuery(Bytes answer, const Query& query);

// Walks every record of a response; false if it is malformed. The cache time is the smallest
// TTL of the answer and authority records, or for a negative answer the SOA's negative TTL
// (RFC 2308: the smaller of the SOA's TTL and its MINIMUM), capped at `maxSeconds`.
[[nodiscard]] bool inspectAnswer(Bytes answer, std::uint32_t maxSeconds, AnswerFacts& facts);

// The block addresses answered for blocked names.
struct BlockAddresses {
  std::array<std::uint8_t, 4> v4{};
  std::array<std::uint8_t, 16> v6{};
};

// Answers built by the filter itself; each replaces the contents of `out`.
// An answer with just the question and `rcode` (NXDOMAIN, SERVFAIL, REFUSED).
void buildRcodeAnswer(const Query& query, Rcode rcode, Buffer& out);
// A header-only answer for a packet whose question could not be read (FORMERR, NOTIMP);
// `packet` must be at least a header long.
void buildHeaderAnswer(Bytes packet, Rcode rcode, Buffer& out);
// The block address for A and AAAA, and no records (NODATA) for any other type.
void buildBlockAnswer(const Query& query, const BlockAddresses& addresses, std::uint32_t ttl,
                      Buffer& out);
// A recursive query for `name` (RD set, EDNS0 with our payload size).
void buildQuery(const Name& name, std::uint16_t qtype, std::uint16_t id, Buffer& out);
// The question's name as a CNAME of `target`, followed by the answer records of
// `targetAnswer` (an upstream answer for `target`), their names expanded. False if
// `targetAnswer` is malformed or the result would be too long.
[[nodiscard]] bool buildRewriteAnswer(const Query& query, const Name& target,
                                      std::uint32_t cnameTtl, Bytes targetAnswer, Buffer& out);
// If `out` is longer than `limit`, replaces it with a truncated (TC) answer to `query`, so the
// client asks again over TCP.
void truncateTo(const Query& query, std::size_t limit, Buffer& out);

}  // namespace clubsafe::agent::dns
