// The UT1 blacklist layout: either UT1's own tree (blacklists/<category>/domains, where some
// category folders are symlinked aliases of others) or flat <category>.domains.gz files.
#include "common/domain_index/list_import.hpp"

#include <algorithm>
#include <system_error>

namespace clubsafe::common::domain_index {

std::vector<CategoryList> findUt1Lists(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  constexpr std::string_view kFlatSuffix = ".domains.gz";
  std::error_code error;
  fs::directory_iterator entries(folder, error);
  if (error) {
    throw ImportError("Cannot read the UT1 folder " + folder.string() + ": " + error.message());
  }
  std::vector<CategoryList> lists;
  for (const auto& entry : entries) {
    const auto name = entry.path().filename().string();
    if (entry.is_symlink(error)) continue;  // an alias: the category it points to is listed
    if (entry.is_directory(error)) {
      if (fs::is_regular_file(entry.path() / "domains", error)) {
        lists.push_back({name, entry.path() / "domains"});
      }
    } else if (name.size() > kFlatSuffix.size() && name.ends_with(kFlatSuffix)) {
      lists.push_back({name.substr(0, name.size() - kFlatSuffix.size()), entry.path()});
    }
  }
  if (lists.empty()) {
    throw ImportError("The folder " + folder.string() +
                      " holds no UT1 lists (<category>/domains or <category>.domains.gz).");
  }
  std::sort(lists.begin(), lists.end(),
            [](const CategoryList& a, const CategoryList& b) { return a.category < b.category; });
  return lists;
}

}  // namespace clubsafe::common::domain_index
