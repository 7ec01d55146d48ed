#pragma once

#include "collector/storage/review_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The review_decisions table (migration 12); the queue reads the events and dns_minutes tables.
class SqliteReviewStore final : public ReviewStore {
 public:
  explicit SqliteReviewStore(SqliteDatabase& database) : database_(database) {}

  std::vector<ReviewRequestRecord> reviewRequests(Timestamp from, Timestamp to,
                                                  std::size_t limit) override;
  std::vector<BlockedSiteRecord> blockedSites(Timestamp from, Timestamp to, std::size_t limit,
                                              const std::vector<std::string>& alsoDomains) override;
  std::vector<ReviewDecision> listDecisions(std::size_t limit) override;
  std::map<std::string, Timestamp> latestDecisions() override;
  std::vector<ReviewDecision> activeAllows() override;
  std::int64_t recordDecision(const ReviewDecision& decision, const ReviewEffect& effect) override;
  void endAllows(const std::vector<std::int64_t>& ids, Timestamp endedAt,
                 const ReviewEffect& effect) override;

 private:
  SqliteDatabase& database_;
};

}  // namespace clubsafe::collector
