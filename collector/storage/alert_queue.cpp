#include "collector/storage/alert_queue.hpp"

#include <array>
#include <utility>

namespace clubsafe::collector {
namespace {

// As the database's CHECK on alert_cases.state spells them (migration_alert_cases.cpp).
constexpr std::array<std::pair<AlertState, std::string_view>, 5> kStateNames{{
    {AlertState::New, "new"},
    {AlertState::Acknowledged, "acknowledged"},
    {AlertState::Escalated, "escalated"},
    {AlertState::ClosedNoConcern, "closed_no_concern"},
    {AlertState::ClosedFalsePositive, "closed_false_positive"},
}};

}  // namespace

std::string_view alertStateName(AlertState state) {
  for (const auto& [known, name] : kStateNames) {
    if (known == state) return name;
  }
  return "new";
}

std::optional<AlertState> alertStateFromName(std::string_view name) {
  for (const auto& [state, known] : kStateNames) {
    if (known == name) return state;
  }
  return std::nullopt;
}

}  // namespace clubsafe::collector
