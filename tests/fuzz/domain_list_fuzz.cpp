// libFuzzer target: any bytes a club might import as a blocklist (plain, hosts or AdBlock) must
// be read line by line without a crash, and every name handed on must be canonical; any bytes
// offered as an index file must be loaded or refused with DomainIndexError, never crash, and a
// loaded index must answer lookups. A second load patches the header's size and checksum to fit
// the input, so the structural checks behind the checksum are fuzzed too.
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/domain_name.hpp"
#include "common/domain_index/index_format.hpp"
#include "common/domain_index/list_import.hpp"

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace {

namespace di = clubsafe::common::domain_index;

class CheckingSink : public di::EntrySink {
 public:
  void add(std::string_view name, bool /*allow*/) override {
    const auto again = di::NormalisedName::from(name);
    if (!again.ok() || again.view() != name) __builtin_trap();
  }
};

void lookUp(std::string_view bytes) {
  try {
    const auto index = di::DomainIndex::fromBytes(bytes);
    for (const auto* name : {"example.com", "www.example.com", "a.b.c.d.e", "com"}) {
      (void)index->lookup(name);
    }
    (void)index->describe(index->lookup(bytes.substr(0, 64)).categories);
  } catch (const di::DomainIndexError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckingSink sink;
  for (const auto format :
       {di::ListFormat::Plain, di::ListFormat::Hosts, di::ListFormat::AdBlock}) {
    di::LineReader reader(input);
    const auto report =
        di::importList(reader, format, sink, format == di::ListFormat::Plain, "fuzz");
    if (report.names + report.ignored + report.unsupported + report.badCount() < report.lines) {
      __builtin_trap();  // every line is accounted for
    }
  }

  lookUp(input);
  using di::format::Header;
  if (size >= sizeof(Header)) {
    std::string patched(input);
    Header header;
    std::memcpy(&header, patched.data(), sizeof header);
    header.fileSize = size;
    unsigned int length = 0;
    EVP_Digest(patched.data() + sizeof header, size - sizeof header, header.bodySha256, &length,
               EVP_sha256(), nullptr);
    std::memcpy(patched.data(), &header, sizeof header);
    lookUp(patched);
  }
  return 0;
}
