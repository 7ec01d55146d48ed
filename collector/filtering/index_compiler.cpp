#include "collector/filtering/index_compiler.hpp"

#include "common/crypto.hpp"
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/mapped_file.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace clubsafe::collector {
namespace {

namespace di = common::domain_index;

constexpr std::string_view kIndexExtension = ".index";
constexpr std::string_view kTemporaryPrefix = "compiling-";
constexpr std::size_t kCandidatesPerCategory = 8;

// Whether `entries` holds `name` or one of its parents.
bool coveredBy(const std::unordered_set<std::string>& entries, std::string_view name) {
  for (;;) {
    if (entries.contains(std::string(name))) return true;
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) return false;
    name.remove_prefix(dot + 1);
  }
}

std::size_t labels(std::string_view name) {
  return static_cast<std::size_t>(std::count(name.begin(), name.end(), '.')) + 1;
}

// Passes on a list's block entries only. An allow entry in the index would beat every category
// for every profile, so an AdBlock list's exceptions (`@@||name^`, meant for that list alone)
// are not used; allowing a name is a profile's business (its allow list).
class BlockEntriesOnly : public di::EntrySink {
 public:
  explicit BlockEntriesOnly(di::EntrySink& target) : target_(target) {}
  void add(std::string_view name, bool allow) override {
    if (!allow) target_.add(name, false);
  }

 private:
  di::EntrySink& target_;
};

}  // namespace

// Passes every entry on and keeps the best block entries as test name candidates. A one-label
// name (a top-level domain, "localhost") is no name a person visits, so it is never one.
class IndexCompiler::CandidateSink : public di::EntrySink {
 public:
  CandidateSink(di::EntrySink& target, std::vector<std::string>& best,
                std::unordered_set<std::string>& allowEntries)
      : target_(target), best_(best), allowEntries_(allowEntries) {}
  void add(std::string_view name, bool allow) override {
    target_.add(name, allow);
    if (allow) allowEntries_.emplace(name);
    if (allow || labels(name) < 2) return;
    if (best_.size() == kCandidatesPerCategory && !testNameBefore(name, best_.back())) return;
    const auto at = std::lower_bound(best_.begin(), best_.end(), name, testNameBefore);
    if (at != best_.end() && *at == name) return;
    best_.insert(at, std::string(name));
    if (best_.size() > kCandidatesPerCategory) best_.pop_back();
  }

 private:
  di::EntrySink& target_;
  std::vector<std::string>& best_;
  std::unordered_set<std::string>& allowEntries_;
};

bool testNameBefore(std::string_view a, std::string_view b) {
  const auto labelsA = labels(a);
  const auto labelsB = labels(b);
  if (labelsA != labelsB) return labelsA < labelsB;
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

std::filesystem::path indexFilePath(const std::filesystem::path& folder,
                                    const std::string& sha256) {
  return folder / (sha256 + std::string(kIndexExtension));
}

std::string fileSha256(const std::filesystem::path& file) {
  const di::MappedFile mapping(file.string());
  const auto bytes = mapping.bytes();
  return common::sha256Hex(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void removeIndexFilesExcept(const std::filesystem::path& folder, const std::string& keep) {
  std::error_code error;
  const auto kept = keep.empty() ? std::filesystem::path() : indexFilePath(folder, keep);
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto name = entry.path().filename().string();
    const bool index = name.ends_with(kIndexExtension) || name.starts_with(kTemporaryPrefix);
    if (!index || entry.path() == kept) continue;
    std::error_code removeError;
    std::filesystem::remove(entry.path(), removeError);
    if (removeError) {
      spdlog::warn("Could not remove the old domain index file {}: {}", entry.path().string(),
                   removeError.message());
    }
  }
}

di::ImportReport IndexCompiler::add(const std::string& category, di::ListFormat format,
                                    std::string_view text, std::string source) {
  const auto id = builder_.addCategory(category);
  di::LineReader reader(text);
  BlockEntriesOnly blocks(builder_.categorySink(id));
  CandidateSink sink(blocks, candidates_[category], allowEntries_);
  auto report = di::importList(reader, format, sink, false, std::move(source));
  report.names -= report.allowNames;
  report.unsupported += report.allowNames;
  report.allowNames = 0;
  return report;
}

CompiledIndex IndexCompiler::write() {
  std::filesystem::create_directories(folder_);
  // A name of its own: the command-line helper may compile while the collector runs.
  const auto temporary = folder_ / (std::string(kTemporaryPrefix) + common::randomHex(8));
  try {
    const auto summary = builder_.write(temporary.string());
    CompiledIndex compiled{
        .sha256 = fileSha256(temporary), .bytes = summary.fileBytes, .testNames = {}};
    // Checked against the file written, so a test name is one the agent's index blocks.
    const auto index = di::DomainIndex::open(temporary.string());
    for (const auto& [category, names] : candidates_) {
      const auto id = index->findCategory(category);
      if (!id) continue;
      const auto usable = std::find_if(names.begin(), names.end(), [&](const std::string& name) {
        const auto match = index->lookup(name);
        return match.categories.test(*id) && !match.allowed && !match.overridden.any() &&
               !coveredBy(allowEntries_, name);
      });
      if (usable != names.end()) compiled.testNames.emplace(category, *usable);
    }
    candidates_.clear();
    allowEntries_.clear();
    std::filesystem::rename(temporary, indexFilePath(folder_, compiled.sha256));
    return compiled;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace clubsafe::collector
