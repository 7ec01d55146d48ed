// libFuzzer target: any bytes a browser's history could hold as a URL must give no search terms
// or terms that are valid UTF-8, non-empty, trimmed and within kMaxSearchTermsBytes; never a
// crash. The same bytes are also decoded as a query value on their own.
#include "agent/recording/search_terms.hpp"
#include "agent/recording/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace rec = clubsafe::agent::recording;

void checkTerms(const std::string& terms, std::size_t maxBytes) {
  if (terms.size() > maxBytes) __builtin_trap();
  std::string clean;
  rec::appendCleanUtf8(terms, clean);
  if (clean != terms) __builtin_trap();  // valid UTF-8 with no control characters
  if (!terms.empty() && (terms.front() == ' ' || terms.back() == ' ')) __builtin_trap();
  if (terms.find("  ") != std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto found = rec::searchTermsFromUrl(input)) {
    if (found->terms.empty()) __builtin_trap();
    checkTerms(found->terms, rec::kMaxSearchTermsBytes);
    (void)rec::searchEngineName(found->engine);
  }
  checkTerms(rec::decodeQueryValue(input, 16), 16);
  return 0;
}
