#pragma once

#include "common/tls.hpp"

#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace clubsafe::agent::client {

struct Reply {
  int status = 0;
  std::string body;
  std::string etag{};  // the ETag header as sent, quotes and all; empty when there was none

  // The collector's {"error": "..."} sentence, or "HTTP <status>" when there is none.
  [[nodiscard]] std::string errorMessage() const;
};

// One HTTPS connection to the collector, kept open between requests. Network and TLS failures
// throw Poco::Exception (Poco::Net::SSLException for TLS); HTTP answers of any status return.
class CollectorClient {
 public:
  CollectorClient(const std::string& serverUrl, const common::ServerTrust& trust,
                  std::chrono::milliseconds timeout);

  // POSTs a JSON body to `path` (for example /api/device/v1/events) under the server URL.
  [[nodiscard]] Reply postJson(const std::string& path, const std::string& body,
                               const std::string& bearerToken = {});

  // GETs `path`, sending `ifNoneMatch` (an earlier answer's ETag) when not empty, so that an
  // unchanged resource comes back as 304 with no body. A body longer than `maxBytes` throws
  // Poco::DataFormatException.
  [[nodiscard]] Reply get(const std::string& path, const std::string& bearerToken,
                          const std::string& ifNoneMatch, std::uint64_t maxBytes);
  // The same, but a 200's body is written to `bodyFile` (created or truncated) as it arrives,
  // so a large file never sits in memory; other answers' bodies come back in Reply::body.
  [[nodiscard]] Reply download(const std::string& path, const std::string& bearerToken,
                               const std::string& ifNoneMatch, const std::string& bodyFile,
                               std::uint64_t maxBytes);

  [[nodiscard]] const std::string& serverUrl() const { return serverUrl_; }

 private:
  CollectorClient(const Poco::URI& uri, std::string serverUrl, const common::ServerTrust& trust,
                  std::chrono::milliseconds timeout);
  Reply getInto(const std::string& path, const std::string& bearerToken,
                const std::string& ifNoneMatch, const std::string* bodyFile,
                std::uint64_t maxBytes);

  std::string serverUrl_;
  std::string basePath_;
  Poco::Net::HTTPSClientSession session_;
};

// Accepts https://host[:port][/path] only, so a typo fails before anything is sent. Throws
// std::invalid_argument with a sentence naming the problem.
[[nodiscard]] Poco::URI parseServerUrl(const std::string& serverUrl);

}  // namespace clubsafe::agent::client
