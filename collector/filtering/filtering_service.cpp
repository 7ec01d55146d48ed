#include "collector/filtering/filtering_service.hpp"

#include "collector/filtering/index_compiler.hpp"
#include "common/crypto.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/notice_protocol.hpp"
#include "common/password_hash.hpp"
#include "common/time.hpp"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Object.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

namespace clubsafe::collector {
namespace {

namespace di = common::domain_index;
using Kind = FilteringError::Kind;

constexpr std::size_t kMaxSourceLength = 100;
constexpr const char* kSystemActor = "system";

[[noreturn]] void refuse(Kind kind, const std::string& message) {
  throw FilteringError(kind, message);
}

void checkReason(const ChangeAuthor& author) {
  const auto first = author.reason.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    refuse(Kind::Invalid,
           "Say why you are making this change: the reason goes into the audit log.");
  }
  if (author.reason.size() > kMaxReasonLength) {
    refuse(Kind::Invalid,
           "The reason is longer than " + std::to_string(kMaxReasonLength) + " characters.");
  }
}

bool hasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

void checkSource(const std::string& source) {
  if (source.empty() || source.size() > kMaxSourceLength || hasControlCharacter(source)) {
    refuse(Kind::Invalid, "Give the list a source name of 1 to " +
                              std::to_string(kMaxSourceLength) +
                              " characters saying where it came from, such as \"ut1/gambling\".");
  }
}

// UT1's domains files are plain lists.
di::ListFormat listFormat(const std::string& format) {
  if (format == "ut1") return di::ListFormat::Plain;
  const auto parsed = di::parseListFormat(format);
  if (!parsed) {
    refuse(Kind::Invalid,
           "The format \"" + format + "\" is not known: use plain, hosts, adblock or ut1.");
  }
  return *parsed;
}

std::string listName(const std::string& category, const std::string& source) {
  return category + "/" + source;
}

AuditEntry auditEntry(const ChangeAuthor& author, std::string action, std::string target,
                      std::string detail) {
  return {.time = common::nowUtc(),
          .actor = author.actor,
          .action = std::move(action),
          .target = std::move(target),
          .detail = std::move(detail),
          .reason = author.reason};
}

std::string compactJson(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

bool indexFileIntact(const std::filesystem::path& folder, const common::PolicyIndex& index) {
  const auto path = indexFilePath(folder, index.sha256);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  try {
    return fileSha256(path) == index.sha256;
  } catch (const std::exception& problem) {
    spdlog::warn("Could not read the domain index file {}: {}", path.string(), problem.what());
    return false;
  }
}

// The test names of the published document, which were chosen when its index was compiled;
// none when it has none (published before there were test names) or does not parse.
std::map<std::string, std::string> testNames(const PolicyDocument& current) {
  try {
    const auto published = common::parsePolicy(current.body);
    if (published.index && published.index->sha256 == current.indexSha256) {
      return published.index->testNames;
    }
  } catch (const common::PolicyError& error) {
    spdlog::warn(
        "The published filtering policy does not parse ({}); its test names are chosen "
        "again.",
        error.what());
  }
  return {};
}

// The model's rules, refused with the field they name ("notice.paragraphs[2]: ...").
template <typename Check>
void checkModel(Check&& check) {
  try {
    check();
  } catch (const common::PolicyError& error) {
    refuse(Kind::Invalid, error.what());
  }
}

bool sameName(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

// A category is what profiles block, so its name follows the policy's rule for
// blocked_categories (checked by the policy's own validator), which the index's is wider than.
void checkCategoryName(const std::string& category) {
  common::Profile probe;
  probe.id = "probe";
  probe.name = "probe";
  probe.blockedCategories = {category};
  try {
    common::validateProfile(probe);
  } catch (const common::PolicyError&) {
    refuse(Kind::Invalid, "The category \"" + category + "\" is not a category name: use 1 to " +
                              std::to_string(common::kMaxCategoryNameLength) +
                              " of a-z, 0-9, '_' and '-', such as \"gambling\".");
  }
}

void checkListFormat(const std::string& format) {
  (void)listFormat(format);
}

std::optional<std::string> weakPinProblem(std::string_view pin) {
  using common::notice::kMaxPinLength;
  using common::notice::kMinPinLength;
  const bool digits =
      std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || pin.size() < kMinPinLength || pin.size() > kMaxPinLength) {
    return "A PIN is " + std::to_string(kMinPinLength) + " to " + std::to_string(kMaxPinLength) +
           " digits (0 to 9) and nothing else.";
  }
  const auto steps = [&](int step) {
    for (std::size_t i = 1; i < pin.size(); ++i) {
      if ((pin[i - 1] - '0' + step + 10) % 10 != pin[i] - '0') return false;
    }
    return true;
  };
  if (steps(0)) return "A PIN of one digit repeated is too easy to guess. Choose another.";
  // Wrapping round (890123) is as easy to guess as not.
  if (steps(1) || steps(-1)) {
    return "A PIN of digits in order, such as 123456 or 654321, is too easy to guess. Choose "
           "another.";
  }
  return std::nullopt;
}

std::string readListFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) refuse(Kind::Invalid, "Cannot read the list file " + file.string() + ".");
  const bool gzip = in.peek() == 0x1f;
  Poco::InflatingInputStream inflated(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::istream& source = gzip ? static_cast<std::istream&>(inflated) : in;
  std::string text;
  char buffer[65536];
  try {
    while (source.read(buffer, sizeof buffer) || source.gcount() > 0) {
      text.append(buffer, static_cast<std::size_t>(source.gcount()));
      if (text.size() > kMaxListBytes) {
        refuse(Kind::Invalid, "The list file " + file.string() + " holds more than " +
                                  std::to_string(kMaxListBytes / 1024 / 1024) +
                                  " MiB; split it into several files.");
      }
    }
  } catch (const Poco::Exception& error) {
    refuse(Kind::Invalid, "The list file " + file.string() + " is damaged: " + error.displayText());
  }
  if (source.bad()) refuse(Kind::Invalid, "Cannot read the list file " + file.string() + ".");
  return text;
}

FilteringService::State FilteringService::load() {
  const auto current = store_.currentPolicy();
  State state;
  state.nextVersion = current.version + 1;
  state.profiles = store_.listFilterProfiles();
  state.defaultProfile = store_.defaultFilterProfile();
  if (!current.indexSha256.empty()) {
    state.index = common::PolicyIndex{
        current.indexSha256, static_cast<std::uint64_t>(current.indexBytes), testNames(current)};
  }
  state.notice = store_.noticeText();
  for (const auto& worker : store_.listWorkers()) {
    state.workers.push_back({worker.name, worker.pinHash});
  }
  for (const auto& member : store_.listMembers()) {
    state.members.push_back({member.name, member.ageBand});
  }
  return state;
}

PolicyChange FilteringService::changeFor(const State& state, AuditEntry audit) {
  const common::Policy policy{.version = state.nextVersion,
                              .index = state.index,
                              .defaultProfile = state.defaultProfile,
                              .profiles = state.profiles,
                              .notice = state.notice,
                              .workers = state.workers,
                              .members = state.members};
  try {
    common::validatePolicy(policy);
  } catch (const common::PolicyError& error) {
    refuse(Kind::Invalid,
           std::string("This change would break a rule of the filtering policy: ") + error.what());
  }
  const auto version = "policy version " + std::to_string(state.nextVersion);
  audit.detail = audit.detail.empty() ? version : audit.detail + "; " + version;
  return {
      .document = {.version = state.nextVersion,
                   .body = common::serialisePolicy(policy),
                   .etag = {},
                   .indexSha256 = state.index ? state.index->sha256 : std::string(),
                   .indexBytes = state.index ? static_cast<std::int64_t>(state.index->bytes) : 0},
      .audit = std::move(audit)};
}

std::optional<common::PolicyIndex> FilteringService::compile(
    const std::vector<FilterListRecord>& stored, const std::vector<std::int64_t>& skip,
    const std::vector<ListImport>& added, std::vector<di::ImportReport>* addedReports) {
  IndexCompiler compiler(indexFolder_);
  bool any = false;
  try {
    for (const auto& list : stored) {
      if (std::find(skip.begin(), skip.end(), list.id) != skip.end()) continue;
      (void)compiler.add(list.category, listFormat(list.format), store_.filterListText(list.id),
                         list.source);
      any = true;
    }
    for (const auto& list : added) {
      auto report = compiler.add(list.category, listFormat(list.format), list.text, list.source);
      if (report.names == 0) {
        refuse(Kind::Invalid, "The list " + listName(list.category, list.source) +
                                  " holds no domain name the filter can use (" +
                                  std::to_string(report.lines) + " lines, " +
                                  std::to_string(report.badCount()) +
                                  " of them bad). Check that its format is " + list.format + ".");
      }
      if (addedReports != nullptr) addedReports->push_back(std::move(report));
      any = true;
    }
  } catch (const di::BuildError& error) {
    refuse(Kind::Invalid, std::string("The lists cannot be compiled: ") + error.what());
  }
  if (!any) return std::nullopt;
  const auto compiled = compiler.write();
  return common::PolicyIndex{compiled.sha256, compiled.bytes, compiled.testNames};
}

template <typename Store>
void FilteringService::commit(const State& before, const State& after, Store&& store) {
  const bool newFile =
      after.index && (!before.index || before.index->sha256 != after.index->sha256);
  try {
    store();
  } catch (...) {
    if (newFile) {
      std::error_code ignored;
      std::filesystem::remove(indexFilePath(indexFolder_, after.index->sha256), ignored);
    }
    throw;
  }
  removeIndexFilesExcept(indexFolder_, after.index ? after.index->sha256 : std::string());
}

void FilteringService::prepare() {
  std::lock_guard lock(mutex_);
  std::filesystem::create_directories(indexFolder_);
  const auto current = store_.currentPolicy();
  auto before = load();
  const auto stored = store_.listFilterLists();

  auto after = before;
  std::string why;
  if (stored.empty()) {
    after.index.reset();
  } else if (!before.index || !indexFileIntact(indexFolder_, *before.index)) {
    after.index = compile(stored, {}, {}, nullptr);
    why =
        "The domain index file was missing or damaged; it was compiled again from the stored "
        "lists.";
  } else if (before.index->testNames.empty()) {
    // A policy published before test names existed: they are chosen while compiling.
    after.index = compile(stored, {}, {}, nullptr);
    why = "The domain index was compiled again to choose the filter self-test's test names.";
  }
  const bool firstNotice = !after.notice && firstNotice_;
  if (firstNotice) {
    after.notice = firstNotice_;
    why += std::string(why.empty() ? "" : " ") +
           "The collector wrote the first monitoring notice for the laptops; its words can be "
           "changed on the console's Laptop notice page.";
  }
  after.nextVersion = current.version;
  if (changeFor(after, {}).document.body == current.body) {
    removeIndexFilesExcept(indexFolder_, current.indexSha256);
    return;
  }
  after.nextVersion = current.version + 1;
  if (why.empty())
    why = "The collector published the filtering policy its profiles and lists make.";
  const ChangeAuthor system{kSystemActor, why};
  const auto change = changeFor(after, auditEntry(system, "policy.publish", "", ""));
  commit(before, after, [&] {
    if (firstNotice) {
      store_.saveNoticeText(*after.notice, change);
    } else {
      store_.publishPolicy(change);
    }
  });
  spdlog::info("Published filtering policy version {}.", change.document.version);
}

std::vector<FilterListRecord> FilteringService::importLists(const std::vector<ListImport>& lists,
                                                            const ChangeAuthor& author) {
  checkReason(author);
  if (lists.empty()) refuse(Kind::Invalid, "Choose at least one list to import.");
  std::set<std::string> names;
  for (const auto& list : lists) {
    checkCategoryName(list.category);
    checkSource(list.source);
    (void)listFormat(list.format);
    if (list.text.size() > kMaxListBytes) {
      refuse(Kind::Invalid, "The list " + listName(list.category, list.source) +
                                " is larger than " + std::to_string(kMaxListBytes / 1024 / 1024) +
                                " MiB; split it into several sources.");
    }
    if (!names.insert(listName(list.category, list.source)).second) {
      refuse(Kind::Invalid, "The list " + listName(list.category, list.source) +
                                " is given twice; give each a source name of its own.");
    }
  }

  std::lock_guard lock(mutex_);
  const auto before = load();
  const auto stored = store_.listFilterLists();
  std::vector<std::int64_t> replaced;
  for (const auto& list : stored) {
    if (names.contains(listName(list.category, list.source))) replaced.push_back(list.id);
  }
  std::vector<di::ImportReport> reports;
  auto after = before;
  after.index = compile(stored, replaced, lists, &reports);

  const auto now = common::nowUtc();
  std::vector<NewFilterList> added;
  std::string detail;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    const auto& list = lists[i];
    const auto& report = reports[i];
    FilterListRecord record{.id = 0,
                            .category = list.category,
                            .source = list.source,
                            .format = list.format,
                            .sha256 = common::sha256Hex(list.text),
                            .bytes = static_cast<std::int64_t>(list.text.size()),
                            .lines = static_cast<std::int64_t>(report.lines),
                            .names = static_cast<std::int64_t>(report.names),
                            .ignored = static_cast<std::int64_t>(report.ignored),
                            .unsupported = static_cast<std::int64_t>(report.unsupported),
                            .bad = {},
                            .importedBy = author.actor,
                            .importedAt = now};
    for (const auto& [reason, problem] : report.bad) {
      record.bad[reason] = static_cast<std::int64_t>(problem.count);
    }
    if (!detail.empty()) detail += "; ";
    detail += listName(list.category, list.source) + " (" + list.format + ", sha256 " +
              record.sha256 + "): " + std::to_string(report.names) + " names, " +
              std::to_string(report.badCount()) + " bad lines";
    added.push_back({std::move(record), list.text});
  }
  const auto target = lists.size() == 1 ? listName(lists[0].category, lists[0].source)
                                        : std::to_string(lists.size()) + " lists";
  const auto change = changeFor(after, auditEntry(author, "filter_list.import", target, detail));
  std::vector<std::int64_t> ids;
  commit(before, after, [&] { ids = store_.importFilterLists(added, change); });

  std::vector<FilterListRecord> records;
  for (std::size_t i = 0; i < added.size(); ++i) {
    records.push_back(std::move(added[i].record));
    records.back().id = ids.at(i);
  }
  return records;
}

void FilteringService::deleteList(std::int64_t id, const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  const auto before = load();
  const auto stored = store_.listFilterLists();
  const auto list = std::find_if(stored.begin(), stored.end(),
                                 [&](const FilterListRecord& record) { return record.id == id; });
  if (list == stored.end()) refuse(Kind::NotFound, "There is no such list.");
  auto after = before;
  after.index = compile(stored, {id}, {}, nullptr);
  const auto change = changeFor(
      after, auditEntry(author, "filter_list.delete", listName(list->category, list->source),
                        std::to_string(list->names) + " names, sha256 " + list->sha256));
  commit(before, after, [&] {
    if (!store_.deleteFilterList(id, change)) refuse(Kind::NotFound, "There is no such list.");
  });
}

void FilteringService::createProfile(const common::Profile& profile, const ChangeAuthor& author) {
  saveProfile(profile, true, author);
}

void FilteringService::updateProfile(const common::Profile& profile, const ChangeAuthor& author) {
  saveProfile(profile, false, author);
}

void FilteringService::saveProfile(const common::Profile& profile, bool create,
                                   const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto existing =
      std::find_if(state.profiles.begin(), state.profiles.end(),
                   [&](const common::Profile& candidate) { return candidate.id == profile.id; });
  if (create && existing != state.profiles.end()) {
    refuse(Kind::Conflict, "There is already a profile \"" + profile.id + "\"; choose another id.");
  }
  if (!create && existing == state.profiles.end()) {
    refuse(Kind::NotFound, "There is no profile \"" + profile.id + "\".");
  }
  if (create) {
    state.profiles.push_back(profile);
  } else {
    *existing = profile;
  }
  const auto change =
      changeFor(state, auditEntry(author, create ? "profile.create" : "profile.update", profile.id,
                                  compactJson(common::profileToJson(profile))));
  store_.saveFilterProfile(profile, change);
}

void FilteringService::deleteProfile(const std::string& id, const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto existing =
      std::find_if(state.profiles.begin(), state.profiles.end(),
                   [&](const common::Profile& candidate) { return candidate.id == id; });
  if (existing == state.profiles.end())
    refuse(Kind::NotFound, "There is no profile \"" + id + "\".");
  if (id == state.defaultProfile) {
    refuse(Kind::Invalid, "\"" + id +
                              "\" is the profile laptops use when nobody has signed in, so "
                              "it cannot be deleted. Choose another default profile first.");
  }
  const auto detail = compactJson(common::profileToJson(*existing));
  state.profiles.erase(existing);
  const auto change = changeFor(state, auditEntry(author, "profile.delete", id, detail));
  if (!store_.deleteFilterProfile(id, change)) {
    refuse(Kind::NotFound, "There is no profile \"" + id + "\".");
  }
}

void FilteringService::setDefaultProfile(const std::string& id, const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const bool known = std::any_of(state.profiles.begin(), state.profiles.end(),
                                 [&](const common::Profile& profile) { return profile.id == id; });
  if (!known) refuse(Kind::NotFound, "There is no profile \"" + id + "\".");
  const auto previous = state.defaultProfile;
  state.defaultProfile = id;
  const auto change =
      changeFor(state, auditEntry(author, "policy.default_profile", id, "was " + previous));
  store_.setDefaultFilterProfile(id, change);
}

void FilteringService::saveNotice(const common::NoticeText& notice, const ChangeAuthor& author) {
  checkReason(author);
  auto text = notice;
  text.version = common::noticeVersion(text);
  checkModel([&] { common::validateNotice(text); });
  std::lock_guard lock(mutex_);
  auto state = load();
  state.notice = text;
  // The whole text, so that the audit shows which words each notice version had.
  const auto change = changeFor(state, auditEntry(author, "notice.update", text.version,
                                                  compactJson(common::noticeToJson(text))));
  store_.saveNoticeText(text, change);
}

std::int64_t FilteringService::addWorker(const std::string& name, const std::string& pin,
                                         const ChangeAuthor& author) {
  checkReason(author);
  if (const auto problem = weakPinProblem(pin)) refuse(Kind::Invalid, "worker.pin: " + *problem);
  // Hashed before the lock is taken: it takes a while, and other changes need not wait.
  WorkerRecord record{.id = 0,
                      .name = trimmed(name),
                      .pinHash = common::hashPassword(pin),
                      .createdAt = common::nowUtc(),
                      .createdBy = author.actor};
  checkModel([&] { common::validateWorker({record.name, record.pinHash}); });
  std::lock_guard lock(mutex_);
  auto state = load();
  for (const auto& worker : state.workers) {
    if (sameName(worker.name, record.name)) {
      refuse(Kind::Invalid, "worker.name: There is already a worker called \"" + worker.name +
                                "\". Add a surname or initial to tell them apart.");
    }
  }
  state.workers.push_back({record.name, record.pinHash});
  const auto change = changeFor(state, auditEntry(author, "worker.add", record.name, ""));
  return store_.addWorker(record, change);
}

void FilteringService::deleteWorker(std::int64_t id, const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto workers = store_.listWorkers();
  const auto found = std::find_if(workers.begin(), workers.end(),
                                  [&](const WorkerRecord& worker) { return worker.id == id; });
  if (found == workers.end()) refuse(Kind::NotFound, "There is no such worker.");
  std::erase_if(state.workers,
                [&](const common::Worker& worker) { return worker.name == found->name; });
  const auto change = changeFor(state, auditEntry(author, "worker.delete", found->name, ""));
  if (!store_.deleteWorker(id, change)) refuse(Kind::NotFound, "There is no such worker.");
}

std::int64_t FilteringService::addMember(const std::string& name, const std::string& ageBand,
                                         const ChangeAuthor& author) {
  checkReason(author);
  const MemberRecord record{.id = 0,
                            .name = trimmed(name),
                            .ageBand = ageBand,
                            .createdAt = common::nowUtc(),
                            .createdBy = author.actor};
  checkModel([&] { common::validateMember({record.name, record.ageBand}); });
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto bands = common::memberAgeBands(state.profiles);
  if (std::find(bands.begin(), bands.end(), ageBand) == bands.end()) {
    refuse(Kind::Invalid,
           "member.age_band: Choose one of the age bands the profiles give (not staff).");
  }
  const auto key = common::memberKey(record.name);
  for (const auto& member : state.members) {
    if (common::memberKey(member.name) == key) {
      refuse(Kind::Invalid, "member.name: \"" + member.name +
                                "\" is already on the register. Add an initial or use a member "
                                "code to tell them apart.");
    }
  }
  state.members.push_back({record.name, record.ageBand});
  // Only the band goes in the audit entry's detail: the name is its target, as for workers.
  const auto change =
      changeFor(state, auditEntry(author, "member.add", record.name, "age band " + ageBand));
  return store_.addMember(record, change);
}

void FilteringService::deleteMember(std::int64_t id, const ChangeAuthor& author) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto members = store_.listMembers();
  const auto found = std::find_if(members.begin(), members.end(),
                                  [&](const MemberRecord& member) { return member.id == id; });
  if (found == members.end()) refuse(Kind::NotFound, "There is no such member.");
  std::erase_if(state.members,
                [&](const common::Member& member) { return member.name == found->name; });
  const auto change = changeFor(state, auditEntry(author, "member.delete", found->name, ""));
  if (!store_.deleteMember(id, change)) refuse(Kind::NotFound, "There is no such member.");
}

void FilteringService::changeProfiles(const ChangeAuthor& author, std::string action,
                                      std::string target, const ProfilesEdit& edit,
                                      const ProfilesWrite& write) {
  checkReason(author);
  std::lock_guard lock(mutex_);
  auto state = load();
  const auto before = state.profiles;
  auto detail = edit(state.profiles);
  std::vector<common::Profile> changed;
  for (const auto& profile : state.profiles) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const common::Profile& was) { return was.id == profile.id; });
    if (old == before.end() || !(*old == profile)) changed.push_back(profile);
  }
  auto audit = auditEntry(author, std::move(action), std::move(target), std::move(detail));
  if (changed.empty()) {
    write({}, audit, std::nullopt);
    return;
  }
  const auto change = changeFor(state, std::move(audit));
  write(changed, change.audit, change.document);
}

std::vector<std::string> FilteringService::indexCategoriesOf(std::string_view site) {
  const auto current = store_.currentPolicy();
  if (current.indexSha256.empty()) return {};
  std::shared_ptr<const di::DomainIndex> index;
  try {
    index = di::DomainIndex::open(indexFilePath(indexFolder_, current.indexSha256).string());
  } catch (const di::DomainIndexError& error) {
    spdlog::error("Could not read the domain index to check a site: {}", error.what());
    refuse(Kind::Invalid,
           "The collector could not read its compiled lists to check this site, so nothing was "
           "changed. Restart the collector, then try again.");
  }
  const auto match = index->lookup(site);
  const auto found = match.categories | match.overridden;
  std::vector<std::string> names;
  for (std::size_t id = 0; id < index->categories().size(); ++id) {
    if (found.test(id)) names.push_back(index->categories()[id]);
  }
  return names;
}

}  // namespace clubsafe::collector
