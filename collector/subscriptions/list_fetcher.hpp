#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace clubsafe::collector {

// One conditional download of a subscribed list.
struct FetchRequest {
  std::string url;           // http:// or https://
  std::string etag;          // of the last good copy, sent as If-None-Match ('' for none)
  std::string lastModified;  // of the last good copy, sent as If-Modified-Since ('' for none)
  std::size_t maxBytes = 0;  // a larger answer is refused
  std::chrono::seconds timeout{60};
};

struct FetchResult {
  enum class Outcome { Fetched, NotModified, Failed };
  Outcome outcome = Outcome::Failed;
  std::string body;  // Fetched: the list
  std::string etag;  // Fetched: the answer's validators, '' when it gave none
  std::string lastModified;
  std::string problem;  // Failed: what went wrong, in words for the manager
};

// False for a redirect from https:// to plain http://: the list would then travel where anyone
// on the way could change what the club's laptops block.
[[nodiscard]] bool redirectKeepsEncryption(const std::string& fromUrl, const std::string& toUrl);

// GETs `request.url` over HTTP or HTTPS (TLS 1.2 or newer, the server's certificate checked
// against the system's CAs and its name), following up to 3 redirects that keep encryption. Never
// throws: a network error, an answer other than 200 or 304, or a body over maxBytes is a Failed
// result.
[[nodiscard]] FetchResult fetchList(const FetchRequest& request);

}  // namespace clubsafe::collector
