#pragma once

#include "collector/storage/sqlite_database.hpp"
#include "collector/storage/subscription_store.hpp"

namespace clubsafe::collector {

// The list_subscriptions table (migration 11).
class SqliteSubscriptionStore final : public SubscriptionStore {
 public:
  explicit SqliteSubscriptionStore(SqliteDatabase& database) : database_(database) {}

  std::vector<SubscriptionRecord> listSubscriptions() override;
  std::optional<SubscriptionRecord> findSubscription(std::int64_t id) override;
  std::int64_t addSubscription(const SubscriptionRecord& subscription,
                               const AuditEntry& audit) override;
  bool deleteSubscription(std::int64_t id, const AuditEntry& audit) override;
  void recordCheck(std::int64_t id, const SubscriptionCheck& check) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
