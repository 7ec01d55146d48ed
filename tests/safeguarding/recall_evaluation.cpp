#include "tests/safeguarding/recall_evaluation.hpp"

#include "agent/recording/alert_events.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <span>
#include <sstream>

namespace clubsafe::tests::safeguarding {
namespace {

constexpr std::string_view kOverall = "overall";
constexpr std::string_view kFalseAlerts = "false-alerts-per-1000";

double percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

void count(CategoryFigures& figures, const CorpusEntry& entry,
           const std::vector<common::Event>& alerts) {
  int topSeverity = 0;
  bool ownCategory = false;
  for (const auto& alert : alerts) {
    topSeverity = std::max(topSeverity, alert.payload->getValue<int>("severity"));
    ownCategory = ownCategory || alert.payload->getValue<std::string>("category") == entry.category;
  }
  const bool alerted = !alerts.empty();
  switch (entry.label) {
    case Label::Risky:
      ++figures.risky;
      figures.caught += alerted ? 1 : 0;
      figures.caughtInCategory += ownCategory ? 1 : 0;
      break;
    case Label::Benign:
      ++figures.benign;
      figures.falseAlerts += alerted ? 1 : 0;
      break;
    case Label::Help:
      ++figures.help;
      figures.helpAlerted += alerted ? 1 : 0;
      if (alerted)
        ++figures.helpByTopSeverity.at(static_cast<std::size_t>(std::clamp(topSeverity, 0, 5)));
      break;
  }
}

std::string row(std::string_view name, const CategoryFigures& f) {
  char line[200];
  std::snprintf(
      line, sizeof line,
      "%-20.*s %5zu %5zu %6.1f %6.1f | %5zu %5zu %6.1f | %4zu %5zu  %zu/%zu/%zu/%zu/%zu\n",
      static_cast<int>(name.size()), name.data(), f.risky, f.caught, f.recallPercent(),
      percent(f.caughtInCategory, f.risky), f.benign, f.falseAlerts, f.falseAlertsPerThousand(),
      f.help, f.helpAlerted, f.helpByTopSeverity[5], f.helpByTopSeverity[4], f.helpByTopSeverity[3],
      f.helpByTopSeverity[2], f.helpByTopSeverity[1]);
  return line;
}

std::optional<double> number(std::string_view word) {
  double value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc{} || end != word.data() + word.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

double CategoryFigures::recallPercent() const {
  return percent(caught, risky);
}

double CategoryFigures::falseAlertsPerThousand() const {
  return benign == 0 ? 0.0
                     : 1000.0 * static_cast<double>(falseAlerts) / static_cast<double>(benign);
}

std::vector<common::Event> alertsFor(const agent::recording::PhraseMatcher& matcher,
                                     const CorpusEntry& entry) {
  const agent::recording::AlertText text{entry.title ? "window_title" : "search_term", entry.text};
  return agent::recording::safeguardingAlerts(matcher, std::span(&text, 1), common::Timestamp{},
                                              "evaluation");
}

Figures evaluate(const agent::recording::PhraseMatcher& matcher,
                 const std::vector<CorpusEntry>& entries, Split split) {
  Figures figures;
  for (const auto& category : corpusCategories()) figures.categories[category];
  for (const auto& entry : entries) {
    if (splitOf(entry.text) != split) continue;
    const auto alerts = alertsFor(matcher, entry);
    count(figures.categories[entry.category], entry, alerts);
    count(figures.overall, entry, alerts);
  }
  return figures;
}

std::string formatTable(const Figures& figures, std::string_view title) {
  std::string table(title);
  table +=
      "\ncategory             risky caught recall% in-cat% | benign false per1000 | help alerted "
      "by-severity 5/4/3/2/1\n";
  for (const auto& category : corpusCategories())
    table += row(category, figures.categories.at(category));
  table += row(kOverall, figures.overall);
  return table;
}

std::optional<Baseline> parseBaseline(std::string_view text, std::string& error) {
  Baseline baseline;
  bool hasRate = false;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (int lineNumber = 1; std::getline(lines, line); ++lineNumber) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string key;
    std::string name;
    std::string value;
    std::string extra;
    if (!(words >> key)) continue;
    const bool isRecall = key == "recall" && words >> name >> value && !(words >> extra);
    const bool isRate = key == kFalseAlerts && words >> value && !(words >> extra);
    const auto parsed = number(value);
    const bool knownName =
        name == kOverall || std::ranges::find(corpusCategories(), name) != corpusCategories().end();
    if (!parsed || (!isRate && !(isRecall && knownName))) {
      error = "line " + std::to_string(lineNumber) +
              ": expected \"recall CATEGORY PERCENT\" or \"false-alerts-per-1000 RATE\"";
      return std::nullopt;
    }
    if (isRate) {
      baseline.falseAlertsPerThousand = *parsed;
      hasRate = true;
    } else {
      baseline.recallPercent[name] = *parsed;
    }
  }
  if (!hasRate || !baseline.recallPercent.contains(std::string(kOverall))) {
    error = "the baseline needs \"recall overall\" and \"false-alerts-per-1000\"";
    return std::nullopt;
  }
  return baseline;
}

std::string formatBaseline(const Figures& figures) {
  std::string text =
      "# Figures the test split of the safeguarding corpus must not fall below (docs/PHRASES.md).\n"
      "# Written by: phrase_recall --write-baseline tests/data/safeguarding/baseline.txt\n";
  const auto recallLine = [&](std::string_view name, const CategoryFigures& f) {
    char line[96];
    std::snprintf(line, sizeof line, "recall %.*s %.1f\n", static_cast<int>(name.size()),
                  name.data(), std::floor(f.recallPercent() * 10.0) / 10.0);
    text += line;
  };
  recallLine(kOverall, figures.overall);
  for (const auto& category : corpusCategories())
    recallLine(category, figures.categories.at(category));
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.*s %.1f\n", static_cast<int>(kFalseAlerts.size()),
                kFalseAlerts.data(),
                std::ceil(figures.overall.falseAlertsPerThousand() * 10.0) / 10.0);
  return text + rate;
}

std::vector<std::string> regressions(const Figures& figures, const Baseline& baseline) {
  std::vector<std::string> worse;
  char sentence[160];
  for (const auto& [name, recorded] : baseline.recallPercent) {
    const auto& measured = name == kOverall ? figures.overall : figures.categories.at(name);
    if (measured.recallPercent() + 1e-9 >= recorded) continue;
    std::snprintf(sentence, sizeof sentence, "recall %s is %.1f%%, below the recorded %.1f%%",
                  name.c_str(), measured.recallPercent(), recorded);
    worse.emplace_back(sentence);
  }
  const double rate = figures.overall.falseAlertsPerThousand();
  if (rate > baseline.falseAlertsPerThousand + 1e-9) {
    std::snprintf(sentence, sizeof sentence,
                  "%.1f false alerts per 1,000 benign lines, above the recorded %.1f", rate,
                  baseline.falseAlertsPerThousand);
    worse.emplace_back(sentence);
  }
  return worse;
}

}  // namespace clubsafe::tests::safeguarding
