#include "collector/report/audit_report.hpp"

namespace clubsafe::collector {

std::optional<int> passRatePercent(const LaptopSelfTests& tests) {
  const auto total = tests.passed + tests.failed;
  if (total <= 0) return std::nullopt;
  return static_cast<int>((tests.passed * 100) / total);
}

}  // namespace clubsafe::collector
