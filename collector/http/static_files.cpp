#include "collector/http/static_files.hpp"

#include "collector/http/api_error.hpp"
#include "console/embedded.hpp"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <array>
#include <utility>

namespace clubsafe::collector {
namespace {

std::string contentType(const std::string& path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace

void serveConsoleFile(Request& request) {
  std::string path = Poco::URI(request.http.getURI()).getPath();
  if (path == "/") path = "/index.html";
  const auto& files = console::embeddedFiles();
  const auto file = files.find(path.substr(1));
  if (file == files.end()) throw ApiError(404, "There is no such page.");
  request.response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  request.response.setContentType(contentType(path));
  request.response.setContentLength64(static_cast<Poco::Int64>(file->second.size()));
  request.response.send().write(file->second.data(), static_cast<std::streamsize>(file->second.size()));
}

}  // namespace clubsafe::collector
