#include "collector/report/report_builder.hpp"

#include "common/category_catalogue.hpp"

#include <algorithm>
#include <map>

namespace clubsafe::collector {
namespace {

// What the report calls the club before a notice names it.
constexpr const char* kUnnamedClub = "our youth club";

std::string categoryName(const std::string& id) {
  if (id.empty()) return "No category";
  const auto* known = common::findCategory(id);
  return known ? std::string(known->name) : id;
}

// Every enrolled laptop, reporting or not, and any that reported in the period since revoked;
// by name.
void addLaptops(AuditReport& report, const std::vector<DeviceRecord>& devices,
                const std::vector<DeviceFigures>& figures) {
  std::map<std::string, const DeviceFigures*> byDevice;
  for (const auto& device : figures) byDevice[device.deviceId] = &device;
  for (const auto& device : devices) {
    const auto found = byDevice.find(device.id);
    const DeviceFigures* counted = found == byDevice.end() ? nullptr : found->second;
    if (device.revoked && !counted) continue;
    report.coverage.push_back({.laptop = device.name,
                               .lastContact = device.lastSeen,
                               .hoursReporting = counted ? counted->hoursReporting : 0,
                               .events = counted ? counted->events : 0,
                               .revoked = device.revoked});
    if (counted && counted->selfTestsPassed + counted->selfTestsFailed > 0) {
      report.selfTests.push_back({.laptop = device.name,
                                  .passed = counted->selfTestsPassed,
                                  .failed = counted->selfTestsFailed});
    }
  }
  const auto byName = [](const auto& a, const auto& b) { return a.laptop < b.laptop; };
  std::sort(report.coverage.begin(), report.coverage.end(), byName);
  std::sort(report.selfTests.begin(), report.selfTests.end(), byName);
}

void addFigures(AuditReport& report, const PeriodFigures& figures) {
  for (const auto& blocked : figures.blocked) {
    report.blocks.push_back({.category = blocked.category,
                             .name = categoryName(blocked.category),
                             .attempts = blocked.count});
  }
  for (const auto& app : figures.newApps) {
    report.newApps.push_back(
        {.app = app.app, .firstSeen = app.firstSeen, .minutes = (app.seconds + 30) / 60});
  }
  report.incidents.alerts = figures.alerts;
  report.incidents.tamper = figures.tamper;
  report.incidents.overrides = figures.overrides;
  report.incidents.reviewRequests = figures.reviewRequests;
  report.notices = {.acknowledged = figures.noticesAcknowledged,
                    .notAcknowledged = figures.noticesNotAcknowledged};
}

}  // namespace

AuditReport ReportBuilder::build(Timestamp from, Timestamp to, Timestamp now) {
  AuditReport report;
  const auto notice = filtering_.noticeText();
  report.clubName = notice && !notice->clubName.empty() ? notice->clubName : kUnnamedClub;
  report.timeZone = timeZone_;
  report.from = from;
  report.to = to;
  report.generatedAt = now;

  const auto figures = figures_.periodFigures(from, to);
  addLaptops(report, devices_.listDevices(), figures.devices);
  addFigures(report, figures);

  auto records = records_.periodRecords(from, to, kMaxListed);
  report.overrides = std::move(records.overrides);
  report.reviewDecisions = std::move(records.decisions);
  report.policyChanges = std::move(records.changes);
  report.checks = std::move(records.checks);
  report.incidents.worries = records.worries;
  return report;
}

}  // namespace clubsafe::collector
