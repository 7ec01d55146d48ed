#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <cstdint>
#include <istream>
#include <memory>
#include <sstream>
#include <string>

namespace clubsafe::collector {

// A whole request as the server received it: the head (Poco's HTTPRequest), the body and the
// client's address. A handler sees a request only once every byte has arrived, so no handler
// ever waits on a slow client.
class ServerRequest : public Poco::Net::HTTPRequest {
 public:
  explicit ServerRequest(Poco::Net::SocketAddress client) : client_(std::move(client)) {}

  [[nodiscard]] const std::string& body() const { return body_; }
  void setBody(std::string body) { body_ = std::move(body); }
  [[nodiscard]] const Poco::Net::SocketAddress& clientAddress() const { return client_; }

 private:
  Poco::Net::SocketAddress client_;
  std::string body_;
};

// A handler's answer: the status and headers (Poco's HTTPResponse) and a body that is either
// text written to send() or an open stream of known size that the server sends piece by piece
// (the domain index, which can be tens of megabytes).
class ServerResponse : public Poco::Net::HTTPResponse {
 public:
  ServerResponse() : HTTPResponse(HTTP_1_1, HTTP_OK) {}

  // The stream the body is written to; the answer counts as sent from the first call.
  std::ostream& send() {
    sent_ = true;
    return body_;
  }
  // Sends `size` bytes of `stream` as the body; sets Content-Length.
  void sendStream(std::unique_ptr<std::istream> stream, std::uint64_t size);
  // Sends `stream` until it ends, in chunked encoding: for a body made as it is sent (an
  // export). The server reads it on its I/O thread, a piece at a time; a stream that fails
  // (badbit) ends the connection without the last chunk, so the client sees it incomplete.
  void sendChunkedStream(std::unique_ptr<std::istream> stream);
  [[nodiscard]] bool sent() const { return sent_; }

  // For the server: the text body, and the streamed one if any.
  [[nodiscard]] std::string takeBody() { return std::move(body_).str(); }
  [[nodiscard]] std::unique_ptr<std::istream> takeStream() { return std::move(stream_); }
  [[nodiscard]] std::uint64_t streamSize() const { return streamSize_; }
  [[nodiscard]] bool chunkedStream() const { return chunked_; }

 private:
  bool sent_ = false;
  std::ostringstream body_;
  std::unique_ptr<std::istream> stream_;
  std::uint64_t streamSize_ = 0;
  bool chunked_ = false;
};

}  // namespace clubsafe::collector
