#pragma once

#include "collector/storage/access_log.hpp"
#include "collector/storage/account_store.hpp"
#include "collector/storage/alert_queue.hpp"
#include "collector/storage/audit_log.hpp"
#include "collector/storage/device_store.hpp"
#include "collector/storage/event_query.hpp"
#include "collector/storage/event_store.hpp"
#include "collector/storage/filtering_store.hpp"
#include "collector/storage/incident_store.hpp"
#include "collector/storage/notification_store.hpp"
#include "collector/storage/read_model.hpp"
#include "collector/storage/report_figures.hpp"
#include "collector/storage/report_store.hpp"
#include "collector/storage/review_store.hpp"
#include "collector/storage/subscription_store.hpp"

namespace clubsafe::collector {

// Everything the collector keeps, one interface per resource. Callers take only the stores they
// use; this is for the code that wires them together.
struct Stores {
  DeviceStore& devices;
  EventStore& events;
  AccountStore& accounts;
  FilteringStore& filtering;
  AuditLog& audit;
  ReportStore& reports;
  ReportRecords& reportRecords;
  ReportFigures& reportFigures;
  ReviewStore& review;
  SubscriptionStore& subscriptions;
  EventQuery& eventQuery;
  AccessLog& accessLog;
  AlertQueue& alertQueue;
  ReadModel& readModel;
  IncidentStore& incidents;
  NotificationStore& notifications;
};

}  // namespace clubsafe::collector
