#pragma once

#include "collector/storage/filtering_store.hpp"
#include "common/domain_index/list_import.hpp"
#include "common/policy.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace clubsafe::collector {

// A filtering change that was refused; nothing was changed. The message says why, for the
// person who asked.
class FilteringError : public std::runtime_error {
 public:
  enum class Kind { Invalid, NotFound, Conflict };
  FilteringError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One list to import into a category.
struct ListImport {
  std::string category;
  std::string source;  // e.g. "ut1/gambling"
  std::string format;  // plain, hosts, adblock or ut1 (a UT1 category's domains file)
  std::string text;
};

// Why a PIN cannot be used, in words for the person choosing it; nullopt when it can.
[[nodiscard]] std::optional<std::string> weakPinProblem(std::string_view pin);

// Refuses (FilteringError) a category name that profiles could not block: 1 to 40 of a-z, 0-9,
// '_' and '-', as the policy's blocked_categories.
void checkCategoryName(const std::string& category);
// Refuses (FilteringError) a list format other than plain, hosts, adblock or ut1.
void checkListFormat(const std::string& format);

// The most text one list may hold (the console's upload limit is set from it).
inline constexpr std::size_t kMaxListBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxReasonLength = 1000;

// The text of a list file, gzip-compressed or not. Throws FilteringError when it cannot be read
// or holds more than kMaxListBytes.
[[nodiscard]] std::string readListFile(const std::filesystem::path& file);

// Who makes a change and why; both go into the audit log.
struct ChangeAuthor {
  std::string actor;   // console user name, or "system"
  std::string reason;  // required
};

// The collector's side of filtering (docs/POLICY.md): stores lists and profiles, compiles the
// lists into one domain index file in `indexFolder`, and publishes a new policy document on
// every change. The document also carries the monitoring notice and the worker PINs, so
// their changes go through here too. Each change is checked in full first (the document it would
// produce must pass the policy rules every agent applies), then stored with its new policy version
// and its audit entry in one transaction. Changes are serialised; compiling runs on the caller's
// thread under that lock (all of UT1 again from the database: about 0.7 s), while devices keep
// being served the previous index and policy.
class FilteringService {
 public:
  // `firstNotice`: the notice prepare() stores when there is none (the first start).
  FilteringService(FilteringStore& store, std::filesystem::path indexFolder,
                   std::optional<common::NoticeText> firstNotice = std::nullopt)
      : store_(store), indexFolder_(std::move(indexFolder)), firstNotice_(std::move(firstNotice)) {}

  // On start: compiles the index again when the file the current policy names is missing or
  // damaged, stores the first notice when there is none, publishes a new policy when the
  // stored one is not what the profiles, lists, notice and workers make (the first start, a
  // lost index), and removes index files nothing names.
  void prepare();

  // Imports lists, each replacing the list of the same category and source, and publishes one
  // new policy. Refused (FilteringError, nothing changed) when a list has a bad category,
  // source or format, is too large, or holds no valid name.
  std::vector<FilterListRecord> importLists(const std::vector<ListImport>& lists,
                                            const ChangeAuthor& author);
  void deleteList(std::int64_t id, const ChangeAuthor& author);

  void createProfile(const common::Profile& profile, const ChangeAuthor& author);
  void updateProfile(const common::Profile& profile, const ChangeAuthor& author);
  // The default profile cannot be deleted: choose another default first.
  void deleteProfile(const std::string& id, const ChangeAuthor& author);
  void setDefaultProfile(const std::string& id, const ChangeAuthor& author);

  // Replaces the monitoring notice's club name, paragraphs and policy address; its version is
  // computed. Refused (Invalid, the message naming the field, e.g. "notice.paragraphs[2]")
  // when it breaks a rule of docs/POLICY.md.
  void saveNotice(const common::NoticeText& notice, const ChangeAuthor& author);

  // Adds a worker who signs in on the laptops with `pin` (6 to 12 digits, not all the same or
  // a straight run such as 123456), stored and published only as its hash. Refused (Invalid,
  // the message starting "name:" or "pin:"; Conflict for a name taken, whatever its case).
  std::int64_t addWorker(const std::string& name, const std::string& pin,
                         const ChangeAuthor& author);
  void deleteWorker(std::int64_t id, const ChangeAuthor& author);

  // Adds a young person to the member register: their first name or member code (unique as
  // common::memberKey sees it, Invalid "member.name: …" otherwise) and an age band a profile
  // gives (not staff's). Published to the laptops with the policy.
  std::int64_t addMember(const std::string& name, const std::string& ageBand,
                         const ChangeAuthor& author);
  void deleteMember(std::int64_t id, const ChangeAuthor& author);

  // A change to the profiles that another store writes with a record of its own, in one
  // transaction (a review decision, collector/review). `edit` changes the profiles (or refuses,
  // throwing FilteringError) and returns the audit entry's detail; `write` must store the changed
  // profiles, the new policy document and the audit entry together. When no profile changed,
  // `write` gets no document: no version is published, the audit entry is still written.
  using ProfilesEdit = std::function<std::string(std::vector<common::Profile>&)>;
  using ProfilesWrite =
      std::function<void(const std::vector<common::Profile>& changed, const AuditEntry& audit,
                         const std::optional<PolicyDocument>& document)>;
  void changeProfiles(const ChangeAuthor& author, std::string action, std::string target,
                      const ProfilesEdit& edit, const ProfilesWrite& write);

  // The categories the current lists give `site` or a parent of it, those a list's allow entry
  // overrides included; none when no list is imported. FilteringError when the index file
  // cannot be read.
  [[nodiscard]] std::vector<std::string> indexCategoriesOf(std::string_view site);
  [[nodiscard]] const std::filesystem::path& indexFolder() const { return indexFolder_; }

 private:
  struct State {
    std::int64_t nextVersion = 0;
    std::vector<common::Profile> profiles;
    std::string defaultProfile;
    std::optional<common::PolicyIndex> index;
    std::optional<common::NoticeText> notice;
    std::vector<common::Worker> workers;
    std::vector<common::Member> members;
  };

  [[nodiscard]] State load();
  // The document `state` makes, checked by the policy rules (FilteringError naming the field).
  [[nodiscard]] static PolicyChange changeFor(const State& state, AuditEntry audit);
  // Compiles the stored lists but `skip`, and `added`; nullopt when there are none.
  [[nodiscard]] std::optional<common::PolicyIndex> compile(
      const std::vector<FilterListRecord>& stored, const std::vector<std::int64_t>& skip,
      const std::vector<ListImport>& added,
      std::vector<common::domain_index::ImportReport>* addedReports);
  // Runs `store`, then removes index files the new policy does not name; on failure removes
  // the index file made for the change (unless the current policy names it).
  template <typename Store>
  void commit(const State& before, const State& after, Store&& store);
  void saveProfile(const common::Profile& profile, bool create, const ChangeAuthor& author);

  FilteringStore& store_;
  std::filesystem::path indexFolder_;
  std::optional<common::NoticeText> firstNotice_;
  std::mutex mutex_;
};

}  // namespace clubsafe::collector
