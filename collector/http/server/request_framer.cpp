#include "collector/http/server/request_framer.hpp"

#include <Poco/Exception.h>
#include <Poco/String.h>

namespace clubsafe::collector {
namespace {

using Status = Poco::Net::HTTPResponse::HTTPStatus;
constexpr std::string_view kEndOfHead = "\r\n\r\n";

// RFC 9112 section 2.2: a server ignores empty lines received before a request line.
void dropLeadingEmptyLines(std::string& input) {
  std::size_t start = 0;
  while (input.compare(start, 2, "\r\n") == 0) start += 2;
  input.erase(0, start);
}

}  // namespace

RequestFramer::RequestFramer(std::size_t maxHeadBytes, BodyLimit bodyLimit)
    : maxHeadBytes_(maxHeadBytes), bodyLimit_(std::move(bodyLimit)) {}

RequestFramer::Outcome RequestFramer::take(std::string& input,
                                           const Poco::Net::SocketAddress& client) {
  if (!pending_) {
    dropLeadingEmptyLines(input);
    const auto headEnd = input.find(kEndOfHead);
    if (headEnd == std::string::npos || headEnd + kEndOfHead.size() > maxHeadBytes_) {
      if (input.size() <= maxHeadBytes_) return NeedMore{};
      return Refusal{Status::HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                     "The request's headers are larger than the collector accepts."};
    }
    if (auto refusal = takeHead(input, headEnd, client)) return *refusal;
    if (bodyLength_ > 0 && !continueAsked_ &&
        Poco::icompare(pending_->get("Expect", ""), "100-continue") == 0) {
      continueAsked_ = true;
      if (input.empty()) return NeedMore{.sendContinue = true};
    }
  }
  if (input.size() < bodyLength_) return NeedMore{};
  pending_->setBody(input.substr(0, bodyLength_));
  input.erase(0, bodyLength_);
  bodyLength_ = 0;
  continueAsked_ = false;
  return std::move(pending_);
}

std::optional<RequestFramer::Refusal> RequestFramer::takeHead(
    std::string& input, std::size_t headEnd, const Poco::Net::SocketAddress& client) {
  auto request = std::make_unique<ServerRequest>(client);
  std::istringstream head(input.substr(0, headEnd + kEndOfHead.size()));
  input.erase(0, headEnd + kEndOfHead.size());
  Poco::Int64 length = 0;
  try {
    request->read(head);
    if (request->getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 &&
        request->getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
      return Refusal{Status::HTTP_VERSION_NOT_SUPPORTED, "Use HTTP/1.1."};
    }
    if (request->has(Poco::Net::HTTPMessage::TRANSFER_ENCODING)) {
      return Refusal{Status::HTTP_LENGTH_REQUIRED, "Send the request body with a Content-Length."};
    }
    length = request->hasContentLength() ? request->getContentLength64() : 0;
  } catch (const Poco::Exception&) {
    return Refusal{Status::HTTP_BAD_REQUEST, "The request is not valid HTTP."};
  }
  if (length < 0) return Refusal{Status::HTTP_BAD_REQUEST, "The request's length is not valid."};
  const auto limit = bodyLimit_(*request);
  if (static_cast<std::uint64_t>(length) > limit) {
    return Refusal{
        Status::HTTP_REQUESTENTITYTOOLARGE,
        "The request is larger than the collector accepts (" + std::to_string(limit) + " bytes)."};
  }
  bodyLength_ = static_cast<std::size_t>(length);
  pending_ = std::move(request);
  return std::nullopt;
}

}  // namespace clubsafe::collector
