#pragma once

#include "collector/http/server/http_exchange.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace clubsafe::collector {

// Cuts one HTTP/1.1 request at a time out of the bytes a connection has received, deciding
// from the head alone whether the body is acceptable: a Content-Length over the route's limit
// is refused before a byte of the body is read.
class RequestFramer {
 public:
  // The most body bytes the request's route accepts, from its method and path.
  using BodyLimit = std::function<std::size_t(const Poco::Net::HTTPRequest&)>;

  // More bytes are needed; `sendContinue` asks the caller to answer "100 Continue" first.
  struct NeedMore {
    bool sendContinue = false;
  };
  // The request cannot be served; the answer is this status and message, then the connection
  // closes (its unread body would otherwise be taken for the next request).
  struct Refusal {
    Poco::Net::HTTPResponse::HTTPStatus status;
    std::string message;
  };
  using Outcome = std::variant<NeedMore, std::unique_ptr<ServerRequest>, Refusal>;

  RequestFramer(std::size_t maxHeadBytes, BodyLimit bodyLimit);

  // Takes the next whole request from the front of `input`, leaving what follows it.
  [[nodiscard]] Outcome take(std::string& input, const Poco::Net::SocketAddress& client);
  // Whether part of a request has been taken and the rest is awaited.
  [[nodiscard]] bool midRequest() const { return pending_ != nullptr; }

 private:
  [[nodiscard]] std::optional<Refusal> takeHead(std::string& input, std::size_t headEnd,
                                                const Poco::Net::SocketAddress& client);

  std::size_t maxHeadBytes_;
  BodyLimit bodyLimit_;
  std::unique_ptr<ServerRequest> pending_;  // head read, body awaited
  std::size_t bodyLength_ = 0;
  bool continueAsked_ = false;
};

}  // namespace clubsafe::collector
