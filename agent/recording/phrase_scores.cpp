// Learned scores (docs/PHRASES.md, "Learned scores"): one linear model per category over which
// word sets, and pairs of them, have a member in a text, beside the phrases and proximity rules.
#include "agent/recording/phrase_matcher.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace clubsafe::agent::recording {

void PhraseMatcher::indexScoreWeights(const std::vector<ScoreWeight>& weights) {
  scoreBySet_.assign(setNames_.size() + 1, 0);
  for (const auto& weight : weights) ++scoreBySet_[weight.set + 1];
  for (std::size_t s = 1; s < scoreBySet_.size(); ++s) scoreBySet_[s] += scoreBySet_[s - 1];
  scoreFeatures_.resize(weights.size());
  auto nextSlot = scoreBySet_;
  for (const auto& weight : weights) {
    // The library refuses a weight before its category's threshold, so the model is there.
    const auto model = std::find_if(scoreThresholds_.begin(), scoreThresholds_.end(),
                                    [&](const auto& t) { return t.category == weight.category; });
    scoreFeatures_[nextSlot[weight.set]++] = {
        weight.pairedSet, static_cast<std::uint32_t>(model - scoreThresholds_.begin()),
        weight.weight};
  }
}

void PhraseMatcher::addScoreHits(Scratch& scratch, const MatchText& form, std::string_view input,
                                 std::vector<PhraseHit>& hits) const {
  if (scoreThresholds_.empty() || scratch.presentSets.empty()) return;
  auto& scores = scratch.scores;
  scores.assign(scoreThresholds_.size(), 0.0);
  const auto& found = scratch.setsFound;
  // Only the sets in the text are looked at, each weight once (a pair under its lower set).
  for (const auto set : scratch.presentSets) {
    for (auto k = scoreBySet_[set]; k < scoreBySet_[set + 1]; ++k) {
      const auto& feature = scoreFeatures_[k];
      if (feature.pairedSet == PhraseRule::kNoSet || found[feature.pairedSet] != 0) {
        scores[feature.model] += feature.weight;
      }
    }
  }
  const auto before = hits.size();
  for (std::uint32_t m = 0; m < scoreThresholds_.size() && hits.size() < kMaxHits; ++m) {
    if (!(scores[m] > scoreThresholds_[m].above)) continue;
    // A phrase or rule of the category already says more than a score.
    const auto& category = scoreThresholds_[m].category;
    if (std::any_of(hits.begin(), hits.end(),
                    [&](const PhraseHit& hit) { return hit.category == category; })) {
      continue;
    }
    hits.push_back(scoreHit(m, scores[m], scratch, form, input));
  }
  if (hits.size() == before) return;
  std::stable_sort(hits.begin(), hits.end(),
                   [](const PhraseHit& a, const PhraseHit& b) { return a.offset < b.offset; });
}

PhraseHit PhraseMatcher::scoreHit(std::uint32_t model, double score, const Scratch& scratch,
                                  const MatchText& form, std::string_view input) const {
  struct Reason {
    double weight;
    std::uint32_t set;
    std::uint32_t pairedSet;
  };
  std::vector<Reason> reasons;
  for (const auto set : scratch.presentSets) {
    for (auto k = scoreBySet_[set]; k < scoreBySet_[set + 1]; ++k) {
      const auto& feature = scoreFeatures_[k];
      if (feature.model == model && feature.weight > 0 &&
          (feature.pairedSet == PhraseRule::kNoSet || scratch.setsFound[feature.pairedSet] != 0)) {
        reasons.push_back({feature.weight, set, feature.pairedSet});
      }
    }
  }
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const Reason& a, const Reason& b) { return a.weight > b.weight; });
  if (reasons.size() > kScoreReasons) reasons.resize(kScoreReasons);

  // The words matched: the first member of each set the heaviest weights name, in text order
  // (the first member of the text when no weight is positive, under a threshold below zero).
  const auto& members = scratch.members;
  std::vector<std::size_t> shown;
  const auto show = [&](std::uint32_t set) {
    const auto member = std::find_if(members.begin(), members.end(),
                                     [&](const Candidate& c) { return rules_[c.rule].set == set; });
    const auto index = static_cast<std::size_t>(member - members.begin());
    if (std::find(shown.begin(), shown.end(), index) == shown.end()) shown.push_back(index);
  };
  std::string names;
  for (const auto& reason : reasons) {
    show(reason.set);
    names += names.empty() ? "\"" : ", \"";
    names += setNames_[reason.set];
    if (reason.pairedSet != PhraseRule::kNoSet) {
      show(reason.pairedSet);
      names += " + " + setNames_[reason.pairedSet];
    }
    names += "\"";
  }
  if (shown.empty()) shown.push_back(0);
  std::sort(shown.begin(), shown.end());

  const auto& threshold = scoreThresholds_[model];
  PhraseHit hit;
  hit.category = threshold.category;
  hit.severity = kScoreSeverity;
  hit.phrase = threshold.text;
  hit.rule = threshold.source + " line " + std::to_string(threshold.line);
  std::uint32_t start = UINT32_MAX;
  std::uint32_t end = 0;
  for (const auto index : shown) {
    start = std::min(start, members[index].start);
    end = std::max(end, members[index].end);
  }
  placeHit(hit, start, end, input, form.origin);
  hit.matched.clear();
  for (const auto index : shown) {
    if (!hit.matched.empty()) hit.matched += " \u2026 ";
    hit.matched +=
        wordsAt(input, form.origin[members[index].start + 1], form.origin[members[index].end - 1]);
  }
  const auto sets = names.empty() ? std::string("the word sets found") : "word sets " + names;
  hit.why = fmt::format("{} score {:.2f} for {}, above {:.2f}", sets, score, threshold.category,
                        threshold.above);
  return hit;
}

}  // namespace clubsafe::agent::recording
