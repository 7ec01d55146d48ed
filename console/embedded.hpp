#pragma once

#include <map>
#include <string>
#include <string_view>

namespace clubsafe::console {

// The console's files by path relative to console/ ("index.html", "js/main.js", …), compiled in.
const std::map<std::string, std::string_view>& embeddedFiles();

}  // namespace clubsafe::console
