#include "agent/client/collector_client.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace clubsafe::agent::client {
namespace {

// Copies `in` to `out`, refusing more than `maxBytes`.
void copyAtMost(std::istream& in, std::ostream& out, std::uint64_t maxBytes) {
  std::array<char, 64 * 1024> buffer{};
  std::uint64_t total = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto count = static_cast<std::uint64_t>(in.gcount());
    total += count;
    if (total > maxBytes) {
      throw Poco::DataFormatException("the collector's answer is longer than the " +
                                      std::to_string(maxBytes) + " bytes expected");
    }
    out.write(buffer.data(), static_cast<std::streamsize>(count));
  }
  if (!out) throw Poco::WriteFileException("could not write the collector's answer to disk");
}

}  // namespace

Poco::URI parseServerUrl(const std::string& serverUrl) {
  Poco::URI uri;
  try {
    uri = Poco::URI(serverUrl);
  } catch (const Poco::SyntaxException&) {
    throw std::invalid_argument("\"" + serverUrl + "\" is not a web address.");
  }
  if (uri.getScheme() != "https" || uri.getHost().empty()) {
    throw std::invalid_argument("The server address must start with https:// and name the "
                                "collector, for example https://club-server:8443; got \"" +
                                serverUrl + "\".");
  }
  if (!uri.getQuery().empty() || !uri.getFragment().empty() || !uri.getUserInfo().empty()) {
    throw std::invalid_argument("The server address \"" + serverUrl +
                                "\" must be just https://host:port, as the console shows it.");
  }
  return uri;
}

std::string Reply::errorMessage() const {
  try {
    const auto parsed = Poco::JSON::Parser().parse(body);
    const auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (object && object->has("error")) return object->getValue<std::string>("error");
  } catch (const Poco::Exception&) {
    // Not our JSON (a proxy's error page, say): the status is all there is to report.
  } catch (const std::exception&) {
    // As above: Poco's parser also throws standard exceptions on some malformed input.
  }
  return "HTTP " + std::to_string(status);
}

CollectorClient::CollectorClient(const std::string& serverUrl, const common::ServerTrust& trust,
                                 std::chrono::milliseconds timeout)
    : CollectorClient(parseServerUrl(serverUrl), serverUrl, trust, timeout) {}

CollectorClient::CollectorClient(const Poco::URI& uri, std::string serverUrl,
                                 const common::ServerTrust& trust, std::chrono::milliseconds timeout)
    : serverUrl_(std::move(serverUrl)),
      basePath_(uri.getPath()),
      session_(uri.getHost(), uri.getPort(), common::makeClientContext(trust)) {
  while (!basePath_.empty() && basePath_.back() == '/') basePath_.pop_back();
  const Poco::Timespan span(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
  session_.setTimeout(span, span, span);
  session_.setKeepAlive(true);
}

Reply CollectorClient::postJson(const std::string& path, const std::string& body,
                                const std::string& bearerToken) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, basePath_ + path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  if (!bearerToken.empty()) request.set("Authorization", "Bearer " + bearerToken);
  try {
    session_.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    auto& in = session_.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  } catch (...) {
    // A half-used connection cannot carry the next request.
    session_.reset();
    throw;
  }
}

Reply CollectorClient::get(const std::string& path, const std::string& bearerToken,
                           const std::string& ifNoneMatch, std::uint64_t maxBytes) {
  return getInto(path, bearerToken, ifNoneMatch, nullptr, maxBytes);
}

Reply CollectorClient::download(const std::string& path, const std::string& bearerToken,
                                const std::string& ifNoneMatch, const std::string& bodyFile,
                                std::uint64_t maxBytes) {
  return getInto(path, bearerToken, ifNoneMatch, &bodyFile, maxBytes);
}

Reply CollectorClient::getInto(const std::string& path, const std::string& bearerToken,
                               const std::string& ifNoneMatch, const std::string* bodyFile,
                               std::uint64_t maxBytes) {
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, basePath_ + path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  if (!bearerToken.empty()) request.set("Authorization", "Bearer " + bearerToken);
  if (!ifNoneMatch.empty()) request.set("If-None-Match", ifNoneMatch);
  try {
    session_.sendRequest(request);
    Poco::Net::HTTPResponse response;
    auto& in = session_.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.etag = response.get("ETag", "");
    if (reply.status == Poco::Net::HTTPResponse::HTTP_OK && bodyFile != nullptr) {
      std::ofstream file(*bodyFile, std::ios::binary | std::ios::trunc);
      if (!file) throw Poco::CreateFileException("could not create " + *bodyFile);
      copyAtMost(in, file, maxBytes);
      file.close();
      if (!file) throw Poco::WriteFileException("could not write " + *bodyFile);
    } else {
      std::ostringstream body;
      copyAtMost(in, body, maxBytes);
      reply.body = body.str();
    }
    return reply;
  } catch (...) {
    // A half-used connection cannot carry the next request.
    session_.reset();
    throw;
  }
}

}  // namespace clubsafe::agent::client
