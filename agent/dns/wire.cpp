#include "agent/dns/wire.hpp"

#include <algorithm>
#include <limits>

namespace clubsafe::agent::dns {
namespace {

constexpr std::uint8_t kPointerBits = 0xc0;
constexpr std::size_t kRecordFixedSize = 10;   // type, class, TTL, RDLENGTH after the owner name
constexpr std::uint32_t kMaxTtl = 0x7fffffff;  // RFC 2181 8: larger values mean zero
constexpr std::uint16_t kDnssecOk = 0x8000;

void append16(Buffer& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

void append32(Buffer& out, std::uint32_t value) {
  append16(out, static_cast<std::uint16_t>(value >> 16));
  append16(out, static_cast<std::uint16_t>(value & 0xffff));
}

void appendBytes(Buffer& out, Bytes bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

bool printableLabelByte(std::uint8_t byte) {
  return byte > 0x20 && byte < 0x7f && byte != '.';
}

char lower(std::uint8_t byte) {
  return static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte);
}

std::uint32_t saneTtl(std::uint32_t ttl) {
  return ttl > kMaxTtl ? 0 : ttl;
}

// The flags of an answer to a query with `queryFlags`: same opcode, RD and CD, recursion
// available, and `rcode`.
std::uint16_t answerFlags(std::uint16_t queryFlags, Rcode rcode) {
  return static_cast<std::uint16_t>(flag::kQr |
                                    (queryFlags & (flag::kOpcodeMask | flag::kRd | flag::kCd)) |
                                    flag::kRa | static_cast<std::uint16_t>(rcode));
}

void appendHeader(Buffer& out, std::uint16_t id, std::uint16_t flags, std::uint16_t answers,
                  std::uint16_t additional) {
  out.clear();
  append16(out, id);
  append16(out, flags);
  append16(out, 1);  // one question
  append16(out, answers);
  append16(out, 0);  // no authority records
  append16(out, additional);
}

void appendQuestion(Buffer& out, const Name& name, std::uint16_t qtype) {
  appendBytes(out, name.wire());
  append16(out, qtype);
  append16(out, kClassIn);
}

// An OPT pseudo-record (RFC 6891 6.1.2): root owner, our UDP payload size, no flags.
void appendOpt(Buffer& out) {
  out.push_back(0);
  append16(out, rrtype::kOpt);
  append16(out, kOurUdpPayload);
  append32(out, 0);
  append16(out, 0);
}

// A record whose owner is the question's name, by a pointer to it at offset 12.
void appendRecordAtQuestion(Buffer& out, std::uint16_t type, std::uint32_t ttl, Bytes rdata) {
  append16(out, static_cast<std::uint16_t>((kPointerBits << 8) | kHeaderSize));
  append16(out, type);
  append16(out, kClassIn);
  append32(out, ttl);
  append16(out, static_cast<std::uint16_t>(rdata.size()));
  appendBytes(out, rdata);
}

}  // namespace

void writeU16(std::span<std::uint8_t> packet, std::size_t at, std::uint16_t value) {
  packet[at] = static_cast<std::uint8_t>(value >> 8);
  packet[at + 1] = static_cast<std::uint8_t>(value & 0xff);
}

void writeU32(std::span<std::uint8_t> packet, std::size_t at, std::uint32_t value) {
  writeU16(packet, at, static_cast<std::uint16_t>(value >> 16));
  writeU16(packet, at + 2, static_cast<std::uint16_t>(value & 0xffff));
}

bool Name::assign(std::string_view text) {
  wireSize_ = 0;
  textSize_ = 0;
  if (text.size() > text_.size()) return false;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto dot = std::min(text.find('.', start), text.size());
    const auto length = dot - start;
    if (length == 0 || length > kMaxLabel || wireSize_ + 1 + length + 1 > kMaxWireName) {
      return false;
    }
    wire_[wireSize_++] = static_cast<std::uint8_t>(length);
    for (std::size_t i = start; i < dot; ++i) {
      const auto byte = static_cast<std::uint8_t>(text[i]);
      if (!printableLabelByte(byte)) return false;
      wire_[wireSize_++] = byte;
    }
    start = dot + 1;
  }
  if (!text.empty() && text.back() == '.') return false;
  wire_[wireSize_++] = 0;
  for (const char c : text) text_[textSize_++] = lower(static_cast<std::uint8_t>(c));
  return true;
}

bool NameReader::read(Bytes packet, std::size_t offset, Name* name, std::size_t& next,
                      bool strictText) {
  std::size_t position = offset;
  std::size_t lowestStart = offset;  // every pointer must go below this
  std::size_t wireSize = 0;
  std::size_t textSize = 0;
  bool jumped = false;
  while (true) {
    if (position >= packet.size()) return false;
    const std::uint8_t length = packet[position];
    if ((length & kPointerBits) == kPointerBits) {
      if (position + 1 >= packet.size()) return false;
      const std::size_t target = ((length & ~kPointerBits) << 8) | packet[position + 1];
      if (target >= lowestStart) return false;
      if (!jumped) next = position + 2;
      jumped = true;
      lowestStart = target;
      position = target;
      continue;
    }
    if ((length & kPointerBits) != 0) return false;  // the obsolete extended label types
    if (length == 0) {
      if (!jumped) next = position + 1;
      if (name != nullptr) {
        name->wire_[wireSize] = 0;
        name->wireSize_ = wireSize + 1;
        name->textSize_ = textSize;
      }
      return true;
    }
    if (position + 1 + length > packet.size()) return false;
    if (wireSize + 1 + length + 1 > kMaxWireName) return false;  // room left for the root
    const auto label = packet.subspan(position + 1, length);
    if (strictText && !std::all_of(label.begin(), label.end(), printableLabelByte)) return false;
    if (name != nullptr) {
      name->wire_[wireSize] = length;
      std::copy(label.begin(), label.end(), name->wire_.begin() + wireSize + 1);
      if (textSize > 0) name->text_[textSize++] = '.';
      for (const auto byte : label) name->text_[textSize++] = lower(byte);
    }
    wireSize += 1 + length;
    position += 1 + length;
  }
}

std::size_t skipRecord(Bytes packet, std::size_t offset, std::uint16_t* type,
                       std::size_t* ttlOffset, std::size_t* rdataOffset) {
  std::size_t next = 0;
  if (!NameReader::read(packet, offset, nullptr, next, false)) return 0;
  if (next + kRecordFixedSize > packet.size()) return 0;
  const std::size_t end = next + kRecordFixedSize + readU16(packet, next + 8);
  if (end > packet.size()) return 0;
  if (type != nullptr) *type = readU16(packet, next);
  if (ttlOffset != nullptr) *ttlOffset = next + 4;
  if (rdataOffset != nullptr) *rdataOffset = next + kRecordFixedSize;
  return end;
}

QueryStatus parseQuery(Bytes packet, Query& query) {
  if (packet.size() < kHeaderSize) return QueryStatus::Drop;
  query.id = readU16(packet, 0);
  query.flags = readU16(packet, 2);
  if ((query.flags & flag::kQr) != 0) return QueryStatus::Drop;
  if ((query.flags & flag::kOpcodeMask) != 0) return QueryStatus::NotImp;
  if (readU16(packet, 4) != 1 || readU16(packet, 6) != 0 || readU16(packet, 8) != 0) {
    return QueryStatus::FormErr;
  }
  std::size_t offset = 0;
  if (!NameReader::read(packet, kHeaderSize, &query.name, offset, true) ||
      offset + 4 > packet.size()) {
    return QueryStatus::FormErr;
  }
  query.qtype = readU16(packet, offset);
  query.qclass = readU16(packet, offset + 2);
  offset += 4;
  query.hasEdns = false;
  query.dnssecOk = false;
  query.udpPayload = kMaxUdpWithoutEdns;
  for (std::uint16_t i = 0, additional = readU16(packet, 10); i < additional; ++i) {
    std::uint16_t type = 0;
    std::size_t ttlOffset = 0;
    const auto end = skipRecord(packet, offset, &type, &ttlOffset, nullptr);
    if (end == 0) return QueryStatus::FormErr;
    if (type == rrtype::kOpt) {
      // RFC 6891 6.1.1: one OPT at most, owned by the root.
      if (query.hasEdns || packet[offset] != 0) return QueryStatus::FormErr;
      query.hasEdns = true;
      query.udpPayload = std::max<std::uint16_t>(readU16(packet, offset + 3), kMaxUdpWithoutEdns);
      query.dnssecOk = (readU16(packet, ttlOffset + 2) & kDnssecOk) != 0;
    }
    offset = end;
  }
  if (offset != packet.size()) return QueryStatus::FormErr;
  if (query.qclass != kClassIn) return QueryStatus::Refused;
  return QueryStatus::Ok;
}

bool answersQuery(Bytes answer, const Query& query) {
  if (answer.size() < kHeaderSize || readU16(answer, 0) != query.id ||
      (readU16(answer, 2) & flag::kQr) == 0 || readU16(answer, 4) != 1) {
    return false;
  }
  Name name;
  std::size_t next = 0;
  return NameReader::read(answer, kHeaderSize, &name, next, false) && next + 4 <= answer.size() &&
         name.text() == query.name.text() && readU16(answer, next) == query.qtype &&
         readU16(answer, next + 2) == query.qclass;
}

bool inspectAnswer(Bytes answer, std::uint32_t maxSeconds, AnswerFacts& facts) {
  if (answer.size() < kHeaderSize) return false;
  const auto flags = readU16(answer, 2);
  facts.rcode = static_cast<Rcode>(flags & flag::kRcodeMask);
  facts.truncated = (flags & flag::kTc) != 0;
  facts.cacheSeconds = 0;
  if (facts.ttlOffsets != nullptr) facts.ttlOffsets->clear();
  std::size_t offset = kHeaderSize;
  for (std::uint16_t i = 0, questions = readU16(answer, 4); i < questions; ++i) {
    if (!NameReader::read(answer, offset, nullptr, offset, false)) return false;
    offset += 4;
    if (offset > answer.size()) return false;
  }
  const std::size_t answers = readU16(answer, 6);
  const std::size_t authority = readU16(answer, 8);
  const std::size_t records = answers + authority + readU16(answer, 10);
  std::uint32_t smallestTtl = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t negativeTtl = 0;
  bool haveSoa = false;
  for (std::size_t i = 0; i < records; ++i) {
    std::uint16_t type = 0;
    std::size_t ttlOffset = 0;
    std::size_t rdataOffset = 0;
    const auto end = skipRecord(answer, offset, &type, &ttlOffset, &rdataOffset);
    if (end == 0) return false;
    if (type != rrtype::kOpt) {
      if (facts.ttlOffsets != nullptr) {
        facts.ttlOffsets->push_back(static_cast<std::uint16_t>(ttlOffset));
      }
      const auto ttl = saneTtl(readU32(answer, ttlOffset));
      if (i < answers + authority) smallestTtl = std::min(smallestTtl, ttl);
      if (type == rrtype::kSoa && i >= answers && i < answers + authority) {
        std::size_t at = rdataOffset;
        if (!NameReader::read(answer, at, nullptr, at, false) ||
            !NameReader::read(answer, at, nullptr, at, false) || at + 20 != end) {
          return false;
        }
        negativeTtl = std::min(ttl, saneTtl(readU32(answer, at + 16)));  // MINIMUM is last
        haveSoa = true;
      }
    }
    offset = end;
  }
  if (offset != answer.size()) return false;
  if (facts.truncated) return true;
  if (facts.rcode == Rcode::NoError && answers > 0) {
    facts.cacheSeconds = smallestTtl;
  } else if ((facts.rcode == Rcode::NxDomain || facts.rcode == Rcode::NoError) && haveSoa) {
    facts.cacheSeconds = negativeTtl;
  }
  facts.cacheSeconds = std::min(facts.cacheSeconds, maxSeconds);
  return true;
}

void buildRcodeAnswer(const Query& query, Rcode rcode, Buffer& out) {
  appendHeader(out, query.id, answerFlags(query.flags, rcode), 0, query.hasEdns ? 1 : 0);
  appendQuestion(out, query.name, query.qtype);
  if (query.hasEdns) appendOpt(out);
}

void buildHeaderAnswer(Bytes packet, Rcode rcode, Buffer& out) {
  appendHeader(out, readU16(packet, 0), answerFlags(readU16(packet, 2), rcode), 0, 0);
  writeU16(out, 4, 0);  // no question: it could not be read
}

void buildBlockAnswer(const Query& query, const BlockAddresses& addresses, std::uint32_t ttl,
                      Buffer& out) {
  const bool isA = query.qtype == rrtype::kA;
  const bool isAaaa = query.qtype == rrtype::kAaaa;
  appendHeader(out, query.id, answerFlags(query.flags, Rcode::NoError), isA || isAaaa ? 1 : 0,
               query.hasEdns ? 1 : 0);
  appendQuestion(out, query.name, query.qtype);
  if (isA) appendRecordAtQuestion(out, rrtype::kA, ttl, addresses.v4);
  if (isAaaa) appendRecordAtQuestion(out, rrtype::kAaaa, ttl, addresses.v6);
  if (query.hasEdns) appendOpt(out);
}

void buildQuery(const Name& name, std::uint16_t qtype, std::uint16_t id, Buffer& out) {
  appendHeader(out, id, flag::kRd, 0, 1);
  appendQuestion(out, name, qtype);
  appendOpt(out);
}

bool buildRewriteAnswer(const Query& query, const Name& target, std::uint32_t cnameTtl,
                        Bytes targetAnswer, Buffer& out) {
  if (targetAnswer.size() < kHeaderSize) return false;
  const auto rcode = static_cast<Rcode>(readU16(targetAnswer, 2) & flag::kRcodeMask);
  if (rcode != Rcode::NoError && rcode != Rcode::NxDomain) return false;
  appendHeader(out, query.id, answerFlags(query.flags, rcode), 0, query.hasEdns ? 1 : 0);
  appendQuestion(out, query.name, query.qtype);
  appendRecordAtQuestion(out, rrtype::kCname, cnameTtl, target.wire());
  std::uint16_t answers = 1;

  std::size_t offset = kHeaderSize;
  for (std::uint16_t i = 0, questions = readU16(targetAnswer, 4); i < questions; ++i) {
    if (!NameReader::read(targetAnswer, offset, nullptr, offset, false)) return false;
    offset += 4;
  }
  Name owner;
  Name data;
  for (std::uint16_t i = 0, records = readU16(targetAnswer, 6); i < records; ++i) {
    std::size_t fixed = 0;
    if (!NameReader::read(targetAnswer, offset, &owner, fixed, false) ||
        fixed + kRecordFixedSize > targetAnswer.size()) {
      return false;
    }
    const auto type = readU16(targetAnswer, fixed);
    const std::size_t rdata = fixed + kRecordFixedSize;
    const std::size_t end = rdata + readU16(targetAnswer, fixed + 8);
    if (end > targetAnswer.size()) return false;
    offset = end;
    Bytes rdataBytes = targetAnswer.subspan(rdata, end - rdata);
    if (type == rrtype::kCname) {
      // Its target may be compressed against the upstream packet: write it out in full.
      std::size_t after = 0;
      if (!NameReader::read(targetAnswer, rdata, &data, after, false) || after != end) return false;
      rdataBytes = data.wire();
    } else if (type != rrtype::kA && type != rrtype::kAaaa) {
      continue;  // signatures and the like belong to the upstream's names, not to ours
    }
    appendBytes(out, owner.wire());
    appendBytes(out, targetAnswer.subspan(fixed, 8));  // type, class, TTL
    append16(out, static_cast<std::uint16_t>(rdataBytes.size()));
    appendBytes(out, rdataBytes);
    ++answers;
  }
  writeU16(out, 6, answers);
  if (query.hasEdns) appendOpt(out);
  return out.size() <= kMaxMessage;
}

void truncateTo(const Query& query, std::size_t limit, Buffer& out) {
  if (out.size() <= limit) return;
  buildRcodeAnswer(query, Rcode::NoError, out);
  writeU16(out, 2, static_cast<std::uint16_t>(readU16(out, 2) | flag::kTc));
}

}  // namespace clubsafe::agent::dns
