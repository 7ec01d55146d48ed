#include "collector/filtering/index_compiler.hpp"

#include "common/crypto.hpp"
#include "common/domain_index/mapped_file.hpp"

#include <spdlog/spdlog.h>

#include <system_error>

namespace clubsafe::collector {
namespace {

namespace di = common::domain_index;

constexpr std::string_view kIndexExtension = ".index";
constexpr std::string_view kTemporaryPrefix = "compiling-";

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
  BlockEntriesOnly sink(builder_.categorySink(id));
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
    CompiledIndex compiled{.sha256 = fileSha256(temporary), .bytes = summary.fileBytes};
    std::filesystem::rename(temporary, indexFilePath(folder_, compiled.sha256));
    return compiled;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace clubsafe::collector
