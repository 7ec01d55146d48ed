#pragma once

#include "agent/dns/wire.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace clubsafe::agent::dns::testing {

// Hand-built packets for the tests, byte by byte, so that malformed ones are easy to make.
class PacketBuilder {
 public:
  PacketBuilder& header(std::uint16_t id, std::uint16_t flags, std::uint16_t questions,
                        std::uint16_t answers, std::uint16_t authority, std::uint16_t additional) {
    for (const auto value : {id, flags, questions, answers, authority, additional}) u16(value);
    return *this;
  }
  // Labels from dotted text, then the root.
  PacketBuilder& name(std::string_view text) {
    labels(text);
    bytes_.push_back(0);
    return *this;
  }
  // Labels from dotted text with no root after them (a pointer usually follows).
  PacketBuilder& labels(std::string_view text) {
    while (!text.empty()) {
      const auto dot = text.find('.');
      const auto label = text.substr(0, dot);
      bytes_.push_back(static_cast<std::uint8_t>(label.size()));
      bytes_.insert(bytes_.end(), label.begin(), label.end());
      text = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    }
    return *this;
  }
  PacketBuilder& pointer(std::uint16_t offset) {
    return u16(static_cast<std::uint16_t>(0xc000 | offset));
  }
  PacketBuilder& u8(std::uint8_t value) {
    bytes_.push_back(value);
    return *this;
  }
  PacketBuilder& u16(std::uint16_t value) {
    bytes_.push_back(static_cast<std::uint8_t>(value >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(value & 0xff));
    return *this;
  }
  PacketBuilder& u32(std::uint32_t value) {
    u16(static_cast<std::uint16_t>(value >> 16));
    return u16(static_cast<std::uint16_t>(value & 0xffff));
  }
  PacketBuilder& question(std::string_view text, std::uint16_t type) {
    return name(text).u16(type).u16(kClassIn);
  }
  // Type, class IN, TTL and RDATA after an owner name already written.
  PacketBuilder& record(std::uint16_t type, std::uint32_t ttl, std::vector<std::uint8_t> rdata) {
    u16(type).u16(kClassIn).u32(ttl).u16(static_cast<std::uint16_t>(rdata.size()));
    bytes_.insert(bytes_.end(), rdata.begin(), rdata.end());
    return *this;
  }
  PacketBuilder& opt(std::uint16_t payload, bool dnssecOk = false) {
    return u8(0).u16(rrtype::kOpt).u16(payload).u16(0).u16(dnssecOk ? 0x8000 : 0).u16(0);
  }
  PacketBuilder& soa(std::uint32_t ttl, std::uint32_t minimum) {
    // MNAME the root, RNAME a pointer to the question's name, then the five numbers.
    u16(rrtype::kSoa).u16(kClassIn).u32(ttl).u16(1 + 2 + 20);
    return name("").pointer(12).u32(1).u32(7200).u32(900).u32(1209600).u32(minimum);
  }
  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  [[nodiscard]] Bytes span() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

// A query for `name` as dig sends it: RD set, EDNS0 with a 1232-byte payload.
inline std::vector<std::uint8_t> makeQuery(std::string_view name, std::uint16_t type,
                                           std::uint16_t id = 0x1234, bool edns = true) {
  PacketBuilder packet;
  packet.header(id, flag::kRd, 1, 0, 0, edns ? 1 : 0).question(name, type);
  if (edns) packet.opt(1232);
  return packet.bytes();
}

}  // namespace clubsafe::agent::dns::testing
