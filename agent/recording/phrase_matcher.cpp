#include "agent/recording/phrase_matcher.hpp"

#include "agent/recording/text_normaliser.hpp"
#include "agent/recording/utf8.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace clubsafe::agent::recording {
namespace {

// The matching form has 38 kinds of byte: the space, a–z, 0–9, and any other byte (part of a
// non-English word), which no phrase contains.
constexpr std::uint32_t kClasses = 38;
constexpr std::uint32_t kOtherClass = 37;
constexpr std::uint32_t kHasOutput = 1U << 31;
constexpr std::uint32_t kNoState = UINT32_MAX;
// The library's limits keep every row number of the table below the flag bit.
static_assert(std::uint64_t{PhraseLibrary::kMaxRules} * PhrasePattern::kMaxBytes * kClasses <
              kHasOutput);
// Comparisons one wildcard phrase may spend on one place in a text; a phrase that needs more
// (many wildcards in a very long word) does not match there.
constexpr std::size_t kVerifyBudget = 256;
// Matches of anchors kept per text before the rest is not looked at; far more than any title,
// URL or search term holds.
constexpr std::size_t kMaxCandidates = 16384;

constexpr std::array<std::uint8_t, 256> makeClasses() {
  std::array<std::uint8_t, 256> classes{};
  for (auto& c : classes) c = kOtherClass;
  classes[' '] = 0;
  for (int c = 'a'; c <= 'z'; ++c)
    classes[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(1 + c - 'a');
  for (int c = '0'; c <= '9'; ++c)
    classes[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(27 + c - '0');
  return classes;
}
constexpr auto kClassOf = makeClasses();

std::uint32_t classOf(char c) noexcept {
  return kClassOf[static_cast<unsigned char>(c)];
}

bool isContinuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool pieceAt(std::string_view text, std::size_t at, std::string_view piece) noexcept {
  return at + piece.size() <= text.size() && text.compare(at, piece.size(), piece) == 0;
}

// Where pieces[0..j] can end at `pos` with a wildcard before each later piece: the start of
// pieces[0], or nullopt. Each wildcard stands for 0 to kMaxWildcardBytes non-space bytes.
std::optional<std::size_t> matchBackward(const std::vector<std::string>& pieces, std::size_t j,
                                         std::string_view text, std::size_t pos,
                                         std::size_t& budget) {
  for (std::size_t gap = 0; gap <= PhrasePattern::kMaxWildcardBytes && gap <= pos; ++gap) {
    if (gap > 0 && text[pos - gap] == ' ') break;
    const auto end = pos - gap;
    const auto& piece = pieces[j];
    if (piece.size() > end) break;
    if (budget == 0) return std::nullopt;
    --budget;
    if (!pieceAt(text, end - piece.size(), piece)) continue;
    if (j == 0) return end - piece.size();
    if (const auto start = matchBackward(pieces, j - 1, text, end - piece.size(), budget)) {
      return start;
    }
  }
  return std::nullopt;
}

// Where pieces[j..] can start at `pos` after a wildcard each: the end of the last piece.
std::optional<std::size_t> matchForward(const std::vector<std::string>& pieces, std::size_t j,
                                        std::string_view text, std::size_t pos,
                                        std::size_t& budget) {
  for (std::size_t gap = 0; gap <= PhrasePattern::kMaxWildcardBytes && pos + gap < text.size();
       ++gap) {
    if (gap > 0 && text[pos + gap - 1] == ' ') break;
    if (budget == 0) return std::nullopt;
    --budget;
    const auto& piece = pieces[j];
    if (!pieceAt(text, pos + gap, piece)) continue;
    const auto end = pos + gap + piece.size();
    if (j + 1 == pieces.size()) return end;
    if (const auto found = matchForward(pieces, j + 1, text, end, budget)) return found;
  }
  return std::nullopt;
}

}  // namespace

PhraseMatcher::PhraseMatcher(const PhraseLibrary& library)
    : rules_(library.rules()),
      proximityRules_(library.proximityRules()),
      setNames_(library.sets()),
      wordForms_(library.wordForms()) {
  for (std::uint32_t s = 0; s < setNames_.size(); ++s) {
    if (setNames_[s] == PhraseLibrary::kHelpSeekingSet) helpSeekingSet_ = s;
    if (setNames_[s] == PhraseLibrary::kIntentSet) intentSet_ = s;
    if (setNames_[s] == PhraseLibrary::kSchoolWorkSet) schoolWorkSet_ = s;
    if (setNames_[s] == PhraseLibrary::kFirstPersonSet) firstPersonSet_ = s;
  }
  // The strongest rule first: a weaker one over the same words adds nothing (addProximityHits).
  std::stable_sort(proximityRules_.begin(), proximityRules_.end(),
                   [](const auto& a, const auto& b) { return a.severity > b.severity; });
  std::map<std::string, std::uint16_t, std::less<>> categories;
  const auto categoryOf = [&](const std::string& name) {
    return categories.try_emplace(name, static_cast<std::uint16_t>(categories.size()))
        .first->second;
  };
  for (const auto& rule : proximityRules_) proximityCategory_.push_back(categoryOf(rule.category));
  // Phrases read with the same word forms as the text ("cutting board" is "cut board"); a phrase
  // that then reads as an earlier one of its kind ("wanna die" as "want to die") is left out.
  std::set<std::string> seen;
  std::erase_if(rules_, [&](PhraseRule& rule) {
    auto& pattern = rule.pattern;
    std::string key =
        rule.category + '\n' + std::to_string(rule.set) + (rule.exclusion ? "e" : "p");
    for (auto& piece : pattern.pieces) {
      piece = wordForms_.rewritePiece(piece);
      key += piece + '*';
    }
    for (std::size_t i = 1; i < pattern.pieces.size(); ++i) {
      if (pattern.pieces[i].size() > pattern.pieces[pattern.anchor].size()) pattern.anchor = i;
    }
    return !seen.insert(std::move(key)).second;
  });
  ruleCategory_.reserve(rules_.size());
  for (auto& rule : rules_) {
    ruleCategory_.push_back(categoryOf(rule.category));
    if (rule.exclusion) {
      std::size_t widest = rule.pattern.pieces.size() - 1;  // wildcards
      widest *= PhrasePattern::kMaxWildcardBytes;
      for (const auto& piece : rule.pattern.pieces) widest += piece.size();
      longestExclusion_ = std::max(longestExclusion_, widest);
    }
  }
  fileProximityRules();

  // The trie of anchors, then Aho–Corasick's failure links turned into full transitions.
  std::vector<std::uint32_t> child(kClasses, kNoState);
  std::vector<std::vector<std::uint32_t>> own(1);
  depth_.push_back(0);
  for (std::uint32_t r = 0; r < rules_.size(); ++r) {
    const auto& pattern = rules_[r].pattern;
    std::uint32_t state = 0;
    for (const char c : pattern.pieces[pattern.anchor]) {
      const auto slot = state * kClasses + classOf(c);
      if (child[slot] == kNoState) {
        child[slot] = static_cast<std::uint32_t>(depth_.size());
        depth_.push_back(depth_[state] + 1);
        own.emplace_back();
        child.resize(child.size() + kClasses, kNoState);
      }
      state = child[slot];
    }
    own[state].push_back(r);
  }
  const auto states = static_cast<std::uint32_t>(depth_.size());

  std::vector<std::uint32_t> fail(states, 0);
  dictionary_.assign(states, 0);
  std::deque<std::uint32_t> queue;
  std::vector<std::uint32_t>& full = child;  // completed in place, in breadth-first order
  for (std::uint32_t c = 0; c < kClasses; ++c) {
    if (full[c] == kNoState) {
      full[c] = 0;
    } else {
      queue.push_back(full[c]);
    }
  }
  while (!queue.empty()) {
    const auto u = queue.front();
    queue.pop_front();
    for (std::uint32_t c = 0; c < kClasses; ++c) {
      auto& slot = full[u * kClasses + c];
      if (slot == kNoState) {
        slot = full[fail[u] * kClasses + c];
        continue;
      }
      const auto v = slot;
      fail[v] = u == 0 ? 0 : full[fail[u] * kClasses + c];
      dictionary_[v] = own[fail[v]].empty() ? dictionary_[fail[v]] : fail[v];
      queue.push_back(v);
    }
  }

  outputBegin_.reserve(states + 1);
  const auto byPattern = [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = rules_[a].pattern;
    const auto& y = rules_[b].pattern;
    return std::tie(x.pieces, x.anchor, a) < std::tie(y.pieces, y.anchor, b);
  };
  for (std::uint32_t s = 0; s < states; ++s) {
    outputBegin_.push_back(static_cast<std::uint32_t>(outputs_.size()));
    std::sort(own[s].begin(), own[s].end(), byPattern);
    for (std::size_t k = 0; k < own[s].size(); ++k) {
      const auto& pattern = rules_[own[s][k]].pattern;
      const auto* before = k > 0 ? &rules_[own[s][k - 1]].pattern : nullptr;
      samePatternAsBefore_.push_back(before != nullptr && before->pieces == pattern.pieces &&
                                     before->anchor == pattern.anchor);
      outputs_.push_back(own[s][k]);
    }
  }
  outputBegin_.push_back(static_cast<std::uint32_t>(outputs_.size()));

  next_.resize(full.size());
  for (std::size_t i = 0; i < full.size(); ++i) {
    const auto target = full[i];
    const bool output = !own[target].empty() || dictionary_[target] != 0;
    next_[i] = target * kClasses | (output ? kHasOutput : 0);
  }
}

const MatchText& PhraseMatcher::withWordForms(const MatchText& text, MatchText& rewritten) const {
  return wordForms_.rewrite(text, rewritten) ? rewritten : text;
}

bool PhraseMatcher::excluded(std::uint32_t start, std::uint32_t end, std::uint16_t category,
                             const std::vector<Candidate>& exclusions) const {
  const auto earliest = start > longestExclusion_ ? start - longestExclusion_ : 0;
  auto it = std::lower_bound(
      exclusions.begin(), exclusions.end(), earliest,
      [](const Candidate& candidate, std::size_t at) { return candidate.start < at; });
  for (; it != exclusions.end() && it->start <= start; ++it) {
    if (it->end >= end && ruleCategory_[it->rule] == category) return true;
  }
  return false;
}

std::optional<PhraseMatcher::Candidate> PhraseMatcher::verify(std::uint32_t rule,
                                                              std::string_view text,
                                                              std::size_t anchorStart) const {
  const auto& pattern = rules_[rule].pattern;
  std::size_t budget = kVerifyBudget;
  std::optional<std::size_t> start = anchorStart;
  std::optional<std::size_t> end = anchorStart + pattern.pieces[pattern.anchor].size();
  if (pattern.anchor > 0)
    start = matchBackward(pattern.pieces, pattern.anchor - 1, text, *start, budget);
  if (start && pattern.anchor + 1 < pattern.pieces.size()) {
    end = matchForward(pattern.pieces, pattern.anchor + 1, text, *end, budget);
  }
  if (!start || !end) return std::nullopt;
  return Candidate{rule, static_cast<std::uint32_t>(*start), static_cast<std::uint32_t>(*end)};
}

void PhraseMatcher::record(const Candidate& candidate, std::vector<Candidate>& phrases,
                           std::vector<Candidate>& exclusions) const {
  // Members go with the phrases.
  auto& into = rules_[candidate.rule].exclusion ? exclusions : phrases;
  if (into.size() < kMaxCandidates) into.push_back(candidate);
}

std::string PhraseMatcher::wordsAt(std::string_view input, std::size_t first, std::size_t last) {
  auto words = input.substr(first, last - first);
  if (words.size() > kMaxContextBytes) {
    words = words.substr(0, utf8BoundaryBefore(words, kMaxContextBytes));
  }
  std::string clean;
  appendCleanUtf8(words, clean);
  return clean;
}

std::vector<PhraseHit> PhraseMatcher::match(std::string_view input) const {
  input = input.substr(0, kMaxTextBytes);
  // Reused between calls on the same thread: matching allocates only when it finds something.
  thread_local Scratch scratch;
  auto& [normal, rewritten, phrases, exclusions, members, memberWords, setsFound, rulesToTry] =
      scratch;
  normaliseForMatching(input, normal);
  const auto& form = withWordForms(normal, rewritten);
  phrases.clear();
  exclusions.clear();
  members.clear();

  const std::string_view text = form.text;
  std::uint32_t row = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto entry = next_[row + classOf(text[i])];
    row = entry & ~kHasOutput;
    if ((entry & kHasOutput) == 0) continue;
    for (auto state = row / kClasses; state != 0; state = dictionary_[state]) {
      const auto anchorStart = i + 1 - depth_[state];
      std::optional<Candidate> found;
      for (auto k = outputBegin_[state]; k < outputBegin_[state + 1]; ++k) {
        if (samePatternAsBefore_[k] == 0) {
          found = verify(outputs_[k], text, anchorStart);
        } else if (found) {
          found->rule = outputs_[k];
        }
        if (found) record(*found, phrases, exclusions);
      }
    }
  }

  std::vector<PhraseHit> hits;
  if (phrases.empty()) return hits;
  const auto byStart = [](const Candidate& a, const Candidate& b) {
    return a.start != b.start ? a.start < b.start : a.rule < b.rule;
  };
  std::sort(phrases.begin(), phrases.end(), byStart);
  std::sort(exclusions.begin(), exclusions.end(), byStart);
  std::vector<std::uint32_t> reported;
  for (const auto& candidate : phrases) {
    if (rules_[candidate.rule].set != PhraseRule::kNoSet) {
      members.push_back(candidate);
      continue;
    }
    if (hits.size() == kMaxHits ||
        std::find(reported.begin(), reported.end(), candidate.rule) != reported.end()) {
      continue;
    }
    if (excluded(candidate.start, candidate.end, ruleCategory_[candidate.rule], exclusions)) {
      continue;
    }
    reported.push_back(candidate.rule);
    hits.push_back(makeHit(candidate, input, form.origin));
  }
  addProximityHits(scratch, form, input, hits);
  applyContext(scratch, form, input, hits);
  return hits;
}

PhraseHit PhraseMatcher::makeHit(const Candidate& candidate, std::string_view input,
                                 const std::vector<std::uint32_t>& origin) const {
  const auto& rule = rules_[candidate.rule];
  PhraseHit hit;
  hit.category = rule.category;
  hit.severity = rule.severity;
  hit.phrase = rule.phrase;
  hit.rule = rule.source + " line " + std::to_string(rule.line);
  hit.why = "the phrase \"" + rule.phrase + "\"";
  placeHit(hit, candidate.start, candidate.end, input, origin);
  return hit;
}

void PhraseMatcher::placeHit(PhraseHit& hit, std::uint32_t start, std::uint32_t end,
                             std::string_view input, const std::vector<std::uint32_t>& origin) {
  // Every pattern begins and ends with a space (a word boundary), so the words matched are the
  // bytes between the two spaces' origins.
  const std::size_t first = origin[start + 1];
  const std::size_t last = origin[end - 1];
  hit.offset = first;
  hit.length = last - first;

  std::size_t begin = first;
  for (std::size_t n = 0; begin > 0 && n < kContextCharacters;) {
    --begin;
    if (!isContinuation(input[begin])) ++n;
  }
  std::size_t contextEnd = last;
  for (std::size_t n = 0; contextEnd < input.size() && n < kContextCharacters; ++n) {
    ++contextEnd;
    while (contextEnd < input.size() && isContinuation(input[contextEnd])) ++contextEnd;
  }
  auto context = input.substr(begin, contextEnd - begin);
  if (context.size() > kMaxContextBytes) {
    context = context.substr(0, utf8BoundaryBefore(context, kMaxContextBytes));
  }
  appendCleanUtf8(context, hit.context);
  hit.matched = wordsAt(input, first, last);
}

}  // namespace clubsafe::agent::recording
