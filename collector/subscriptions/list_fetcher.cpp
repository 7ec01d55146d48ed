#include "collector/subscriptions/list_fetcher.hpp"

#include "common/tls.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <istream>
#include <memory>

namespace clubsafe::collector {
namespace {

using Poco::Net::HTTPResponse;

constexpr int kMaxRedirects = 3;

FetchResult failed(std::string problem) {
  FetchResult result;
  result.problem = std::move(problem);
  return result;
}

std::unique_ptr<Poco::Net::HTTPClientSession> sessionFor(const Poco::URI& uri) {
  if (uri.getScheme() == "https") {
    static const auto context = common::makeClientContext({});
    return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  }
  return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}

// Reads at most maxBytes of the body; false when there is more.
bool readCapped(std::istream& in, std::size_t maxBytes, std::string& body) {
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > maxBytes) return false;
  }
  return true;
}

std::string sizeWords(std::size_t bytes) {
  if (bytes >= 1024 * 1024) return std::to_string(bytes / 1024 / 1024) + " MiB";
  if (bytes >= 1024) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

FetchResult fetchOnce(const Poco::URI& uri, const FetchRequest& request, std::string& redirect) {
  auto session = sessionFor(uri);
  session->setTimeout(Poco::Timespan(request.timeout.count(), 0));
  Poco::Net::HTTPRequest get(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                             Poco::Net::HTTPMessage::HTTP_1_1);
  get.set("User-Agent", "clubsafe-collector");
  if (!request.etag.empty()) get.set("If-None-Match", request.etag);
  if (!request.lastModified.empty()) get.set("If-Modified-Since", request.lastModified);
  session->sendRequest(get);
  HTTPResponse response;
  auto& in = session->receiveResponse(response);
  const auto status = response.getStatus();
  if (status == HTTPResponse::HTTP_NOT_MODIFIED) {
    FetchResult result;
    result.outcome = FetchResult::Outcome::NotModified;
    return result;
  }
  if (status >= 300 && status < 400 && response.has("Location")) {
    redirect = response.get("Location");
    return {};
  }
  if (status != HTTPResponse::HTTP_OK) {
    return failed("The server answered " + std::to_string(status) + " " + response.getReason() +
                  " instead of the list.");
  }
  const auto tooLarge = failed("The list is larger than the " + sizeWords(request.maxBytes) +
                               " allowed, so it was not imported.");
  if (response.hasContentLength() &&
      response.getContentLength64() > static_cast<std::streamsize>(request.maxBytes)) {
    return tooLarge;
  }
  FetchResult result;
  if (!readCapped(in, request.maxBytes, result.body)) return tooLarge;
  if (in.bad()) return failed("The connection broke while the list was being downloaded.");
  result.outcome = FetchResult::Outcome::Fetched;
  result.etag = response.get("ETag", "");
  result.lastModified = response.get("Last-Modified", "");
  return result;
}

}  // namespace

bool redirectKeepsEncryption(const std::string& fromUrl, const std::string& toUrl) {
  return Poco::URI(fromUrl).getScheme() != "https" || Poco::URI(toUrl).getScheme() == "https";
}

FetchResult fetchList(const FetchRequest& request) {
  try {
    Poco::URI uri(request.url);
    for (int hop = 0; hop <= kMaxRedirects; ++hop) {
      if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
        return failed("The address " + uri.toString() + " is not an http:// or https:// address.");
      }
      std::string redirect;
      auto result = fetchOnce(uri, request, redirect);
      if (redirect.empty()) return result;
      Poco::URI next(uri);
      next.resolve(redirect);
      if (!redirectKeepsEncryption(uri.toString(), next.toString())) {
        return failed("The server at " + uri.getHost() + " sent the download to " +
                      next.toString() +
                      ", an address without encryption, so it was not followed. Ask the list's "
                      "publisher for an https:// address that does not redirect.");
      }
      uri = next;
    }
    return failed("The server sent the download round more than " + std::to_string(kMaxRedirects) +
                  " redirects.");
  } catch (const Poco::Exception& error) {
    return failed("The list could not be downloaded: " + error.displayText());
  } catch (const std::exception& error) {
    return failed(std::string("The list could not be downloaded: ") + error.what());
  }
}

}  // namespace clubsafe::collector
