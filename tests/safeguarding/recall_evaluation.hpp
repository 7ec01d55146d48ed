#pragma once

#include "agent/recording/phrase_matcher.hpp"
#include "common/event.hpp"
#include "tests/safeguarding/recall_corpus.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Runs the corpus through the agent's alert path and compares the figures with the ones recorded
// in tests/data/safeguarding/baseline.txt (docs/PHRASES.md, "The evaluation corpus").
namespace clubsafe::tests::safeguarding {

struct CategoryFigures {
  std::size_t risky = 0;
  std::size_t caught = 0;            // risky lines that raised at least one alert
  std::size_t caughtInCategory = 0;  // ... one of their own category
  std::size_t benign = 0;
  std::size_t falseAlerts = 0;  // benign lines that raised an alert
  std::size_t help = 0;
  std::size_t helpAlerted = 0;
  std::array<std::size_t, 6> helpByTopSeverity{};  // help lines by their highest alert's severity

  [[nodiscard]] double recallPercent() const;
  [[nodiscard]] double falseAlertsPerThousand() const;
};

struct Figures {
  std::map<std::string, CategoryFigures> categories;
  CategoryFigures overall;
};

// The alerts the agent raises for one corpus line, looked at alone as the agent looks at a search
// term or a window title.
[[nodiscard]] std::vector<common::Event> alertsFor(const agent::recording::PhraseMatcher& matcher,
                                                   const CorpusEntry& entry);

// The figures of one split, each text looked at alone as the agent looks at a search term or a
// window title.
[[nodiscard]] Figures evaluate(const agent::recording::PhraseMatcher& matcher,
                               const std::vector<CorpusEntry>& entries, Split split);

// The per-category table, headed by `title`.
[[nodiscard]] std::string formatTable(const Figures& figures, std::string_view title);

// The figures the test split must not fall below: recall in percent by category and "overall",
// and the most false alerts per 1,000 benign lines.
struct Baseline {
  std::map<std::string, double> recallPercent;
  double falseAlertsPerThousand = 0;
};

// `recall CATEGORY PERCENT` and `false-alerts-per-1000 RATE` lines, `#` comments; nullopt with
// `error` naming the first bad line.
[[nodiscard]] std::optional<Baseline> parseBaseline(std::string_view text, std::string& error);
// A baseline file for `figures`, recall rounded down and the rate up to one decimal place, so
// that the figures it was written from pass it.
[[nodiscard]] std::string formatBaseline(const Figures& figures);
// One sentence per figure that is worse than the baseline; empty when none is.
[[nodiscard]] std::vector<std::string> regressions(const Figures& figures,
                                                   const Baseline& baseline);

}  // namespace clubsafe::tests::safeguarding
