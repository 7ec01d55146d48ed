// libFuzzer target: any bytes as a phrase library (phrases, exceptions, word forms, word sets and
// proximity rules) must load with bad lines reported, never a crash; any bytes as text must be
// matched, by the starter libraries and by the library just loaded, with every hit inside the
// text, its context and matched words valid UTF-8 within their bound.
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "agent/recording/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace rec = clubsafe::agent::recording;

const rec::PhraseMatcher& starter() {
  static const rec::PhraseMatcher matcher = [] {
    rec::PhraseLibrary library;
    library.addStarterLibraries();
    if (!library.problems().empty()) __builtin_trap();
    return rec::PhraseMatcher(library);
  }();
  return matcher;
}

void check(const rec::PhraseMatcher& matcher, std::string_view text) {
  const auto hits = matcher.match(text);
  if (hits.size() > rec::PhraseMatcher::kMaxHits) __builtin_trap();
  for (const auto& hit : hits) {
    if (hit.offset > text.size() || hit.length > text.size() - hit.offset) __builtin_trap();
    if (hit.context.size() > 3 * rec::PhraseMatcher::kMaxContextBytes) __builtin_trap();
    std::string clean;
    rec::appendCleanUtf8(hit.context, clean);
    if (clean != hit.context) __builtin_trap();
    if (hit.severity < 1 || hit.severity > 5) __builtin_trap();
    if (hit.helpSeeking && hit.severity > rec::PhraseMatcher::kHelpSeekingSeverity)
      __builtin_trap();
    if (hit.rule.empty() || hit.why.empty()) __builtin_trap();
    clean.clear();
    rec::appendCleanUtf8(hit.matched, clean);
    if (clean != hit.matched) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(starter(), input);

  rec::PhraseLibrary library;
  library.addText(input, "fuzz.txt");
  const rec::PhraseMatcher matcher(library);
  check(matcher, input);
  for (const auto& rule : library.rules()) check(matcher, rule.phrase);
  return 0;
}
