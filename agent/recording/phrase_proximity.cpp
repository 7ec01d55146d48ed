// Proximity rules and the help-seeking context (docs/PHRASES.md, "Proximity rules"): what the
// matcher does with the members of word sets it found in a text.
#include "agent/recording/phrase_matcher.hpp"

#include <algorithm>
#include <array>

namespace clubsafe::agent::recording {
namespace {

// Members of word sets weighed per text, so that proximity rules cost at most this many steps
// per rule and set, whatever the text.
constexpr std::size_t kMaxMembers = 1024;

std::uint32_t spacesIn(std::string_view text, std::size_t from, std::size_t to) {
  return static_cast<std::uint32_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                               text.begin() + static_cast<std::ptrdiff_t>(to),
                                               ' '));
}

}  // namespace

void PhraseMatcher::fileProximityRules() {
  std::vector<std::size_t> members(setNames_.size(), 0);
  for (const auto& rule : rules_) {
    if (rule.set != PhraseRule::kNoSet) ++members[rule.set];
  }
  proximityRulesBySet_.assign(setNames_.size(), {});
  for (std::uint32_t r = 0; r < proximityRules_.size(); ++r) {
    const auto& sets = proximityRules_[r].sets;
    const auto rarest = *std::min_element(
        sets.begin(), sets.end(),
        [&](std::uint32_t a, std::uint32_t b) { return members[a] < members[b]; });
    proximityRulesBySet_[rarest].push_back(r);
  }
}

void PhraseMatcher::addProximityHits(Scratch& scratch, const MatchText& form,
                                     std::string_view input, std::vector<PhraseHit>& hits) const {
  auto& members = scratch.members;
  if (members.empty() || proximityRules_.empty()) return;
  if (members.size() > kMaxMembers) members.resize(kMaxMembers);
  // The number of each member's first word: the spaces before it (members are in text order).
  auto& words = scratch.memberWords;
  words.clear();
  std::uint32_t spaces = 0;
  std::size_t counted = 0;
  for (const auto& member : members) {
    spaces += spacesIn(form.text, counted, member.start + 1);
    counted = member.start + 1;
    words.push_back(spaces);
  }
  // A rule with a set that has no member in the text cannot match: most rules, most texts.
  // Only the rules filed under a set found are looked at, in the order of proximityRules_.
  auto& found = scratch.setsFound;
  auto& rulesToTry = scratch.rulesToTry;
  found.assign(setNames_.size(), 0);
  rulesToTry.clear();
  for (const auto& member : members) {
    const auto set = rules_[member.rule].set;
    if (found[set] != 0) continue;
    found[set] = 1;
    const auto& filed = proximityRulesBySet_[set];
    rulesToTry.insert(rulesToTry.end(), filed.begin(), filed.end());
  }
  std::sort(rulesToTry.begin(), rulesToTry.end());
  for (const auto r : rulesToTry) {
    if (hits.size() >= kMaxHits) break;
    const auto& sets = proximityRules_[r].sets;
    if (!std::all_of(sets.begin(), sets.end(),
                     [&](std::uint32_t set) { return found[set] != 0; })) {
      continue;
    }
    auto hit = proximityHit(r, scratch, form, input);
    if (!hit) continue;
    // A hit of the same category over the same words already says as much.
    const bool said = std::any_of(hits.begin(), hits.end(), [&](const PhraseHit& other) {
      return other.category == hit->category && other.severity >= hit->severity &&
             other.offset < hit->offset + hit->length && hit->offset < other.offset + other.length;
    });
    if (!said) hits.push_back(std::move(*hit));
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const PhraseHit& a, const PhraseHit& b) { return a.offset < b.offset; });
}

bool PhraseMatcher::hasContextNear(const ProximityRule& rule, const Scratch& scratch,
                                   std::uint32_t firstWord, std::uint32_t lastWord) const {
  if (rule.unless.empty()) return false;
  const auto& words = scratch.memberWords;
  const auto from = firstWord > rule.window ? firstWord - rule.window : 0;
  // Members are in text order, so their first words ascend.
  auto it = std::lower_bound(words.begin(), words.end(), from);
  for (; it != words.end() && *it <= lastWord + rule.window; ++it) {
    const auto& member = scratch.members[static_cast<std::size_t>(it - words.begin())];
    const auto set = rules_[member.rule].set;
    if (std::find(rule.unless.begin(), rule.unless.end(), set) != rule.unless.end()) return true;
  }
  return false;
}

std::optional<PhraseHit> PhraseMatcher::proximityHit(std::size_t r, const Scratch& scratch,
                                                     const MatchText& form,
                                                     std::string_view input) const {
  const auto& rule = proximityRules_[r];
  const auto& members = scratch.members;
  const auto& words = scratch.memberWords;
  std::array<std::size_t, ProximityRule::kMaxSets> latest{};
  latest.fill(SIZE_MAX);
  for (std::size_t m = 0; m < members.size(); ++m) {
    const auto slot = static_cast<std::size_t>(
        std::find(rule.sets.begin(), rule.sets.end(), rules_[members[m].rule].set) -
        rule.sets.begin());
    if (slot == rule.sets.size()) continue;
    if (excluded(members[m].start, members[m].end, proximityCategory_[r], scratch.exclusions)) {
      continue;
    }
    latest[slot] = m;
    std::uint32_t firstWord = UINT32_MAX;
    std::uint32_t lastWord = 0;
    std::uint32_t start = UINT32_MAX;
    std::uint32_t end = 0;
    // A member of several words counts as one: "dont want to go to school" is one idea, and
    // the window measures the words a young person put between the ideas.
    std::uint32_t innerWords = 0;
    bool all = true;
    for (std::size_t k = 0; k < rule.sets.size() && all; ++k) {
      all = latest[k] != SIZE_MAX;
      if (!all) break;
      const auto& member = members[latest[k]];
      const auto inner = spacesIn(form.text, member.start + 1, member.end - 1);
      innerWords += inner;
      firstWord = std::min(firstWord, words[latest[k]]);
      lastWord = std::max(lastWord, words[latest[k]] + inner);
      start = std::min(start, member.start);
      end = std::max(end, member.end);
    }
    if (!all) continue;
    const auto span = lastWord - firstWord + 1;
    if (span > innerWords && span - innerWords > rule.window) continue;
    if (hasContextNear(rule, scratch, firstWord, lastWord)) continue;

    PhraseHit hit;
    hit.category = rule.category;
    hit.severity = rule.severity;
    hit.phrase = rule.text;
    hit.rule = rule.source + " line " + std::to_string(rule.line);
    placeHit(hit, start, end, input, form.origin);
    std::vector<std::size_t> parts(latest.begin(),
                                   latest.begin() + static_cast<std::ptrdiff_t>(rule.sets.size()));
    std::sort(parts.begin(), parts.end());
    hit.matched.clear();
    // Parts with words between them are joined by "…"; parts that touch read as the young
    // person wrote them ("kill yourself", not "kill … yourself").
    std::uint32_t previousLastWord = 0;
    for (std::size_t k = 0; k < rule.sets.size(); ++k) {
      const auto& member = members[parts[k]];
      const auto firstWordOfPart = words[parts[k]];
      if (k > 0) hit.matched += firstWordOfPart == previousLastWord + 1 ? " " : " \u2026 ";
      hit.matched += wordsAt(input, form.origin[member.start + 1], form.origin[member.end - 1]);
      previousLastWord = firstWordOfPart + spacesIn(form.text, member.start + 1, member.end - 1);
    }
    for (std::size_t k = 0; k < rule.sets.size(); ++k) {
      hit.why += (k == 0 ? "" : " near ") + setNames_[rule.sets[k]];
    }
    hit.why += ", within " + std::to_string(rule.window) + " words";
    return hit;
  }
  return std::nullopt;
}

void PhraseMatcher::applyContext(const Scratch& scratch, const MatchText& form,
                                 std::string_view input, std::vector<PhraseHit>& hits) const {
  if (hits.empty()) return;
  const auto& members = scratch.members;
  const auto inSet = [&](std::uint32_t set) {
    return std::find_if(members.begin(), members.end(),
                        [&](const Candidate& m) { return rules_[m.rule].set == set; });
  };
  // A method, a plan or a time is intent, whatever else the text says.
  if (inSet(intentSet_) != members.end()) return;
  // School work about a topic, in no one's own words, is not a concern ("durkheim theory of
  // suicide sociology"); "i want to die over my gcse results" still is.
  if (inSet(schoolWorkSet_) != members.end() && inSet(firstPersonSet_) == members.end()) {
    std::erase_if(hits, [](const PhraseHit& hit) { return hit.severity < 5; });
  }
  const auto help = inSet(helpSeekingSet_);
  if (help == members.end()) return;
  const auto words = wordsAt(input, form.origin[help->start + 1], form.origin[help->end - 1]);
  for (auto& hit : hits) {
    hit.helpSeeking = true;
    hit.severity = std::min(hit.severity, kHelpSeekingSeverity);
    hit.why += "; help-seeking words (\"" + words + "\") lowered the severity";
  }
}

}  // namespace clubsafe::agent::recording
