#pragma once

#include "collector/storage/filtering_store.hpp"
#include "collector/storage/sqlite_database.hpp"

namespace clubsafe::collector {

// The policy_documents, filter_lists, filter_profiles, filter_settings, notice_text and worker_pins
// tables.
class SqliteFilteringStore final : public FilteringStore {
 public:
  explicit SqliteFilteringStore(SqliteDatabase& database) : database_(database) {}

  PolicyDocument currentPolicy() override;
  void publishPolicy(const PolicyChange& change) override;

  std::vector<FilterListRecord> listFilterLists() override;
  std::string filterListText(std::int64_t id) override;
  std::vector<std::int64_t> importFilterLists(const std::vector<NewFilterList>& lists,
                                              const PolicyChange& change) override;
  bool deleteFilterList(std::int64_t id, const PolicyChange& change) override;

  std::vector<common::Profile> listFilterProfiles() override;
  std::string defaultFilterProfile() override;
  void saveFilterProfile(const common::Profile& profile, const PolicyChange& change) override;
  bool deleteFilterProfile(const std::string& id, const PolicyChange& change) override;
  void setDefaultFilterProfile(const std::string& id, const PolicyChange& change) override;

  std::optional<common::NoticeText> noticeText() override;
  void saveNoticeText(const common::NoticeText& notice, const PolicyChange& change) override;
  std::vector<WorkerRecord> listWorkers() override;
  std::int64_t addWorker(const WorkerRecord& worker, const PolicyChange& change) override;
  bool deleteWorker(std::int64_t id, const PolicyChange& change) override;
  std::vector<MemberRecord> listMembers() override;
  std::int64_t addMember(const MemberRecord& member, const PolicyChange& change) override;
  bool deleteMember(std::int64_t id, const PolicyChange& change) override;

 private:
  SqliteDatabase& database_;
};

// Write inside the caller's transaction, so that a change of another resource (a review decision)
// and the filtering change it makes are one: a profile's row (created or replaced), and a new
// policy version with its audit entry (refused when the version is not one above the newest).
void writeFilterProfile(Poco::Data::Session& session, const common::Profile& profile);
void insertPolicyChange(Poco::Data::Session& session, const PolicyChange& change);

}  // namespace clubsafe::collector
