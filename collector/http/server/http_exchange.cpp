#include "collector/http/server/http_exchange.hpp"

namespace clubsafe::collector {

void ServerResponse::sendStream(std::unique_ptr<std::istream> stream, std::uint64_t size) {
  sent_ = true;
  stream_ = std::move(stream);
  streamSize_ = size;
  setContentLength64(static_cast<Poco::Int64>(size));
}

void ServerResponse::sendChunkedStream(std::unique_ptr<std::istream> stream) {
  sent_ = true;
  stream_ = std::move(stream);
  chunked_ = true;
  setChunkedTransferEncoding(true);
}

}  // namespace clubsafe::collector
