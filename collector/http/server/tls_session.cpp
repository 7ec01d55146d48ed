#include "collector/http/server/tls_session.hpp"

#include <openssl/err.h>

#include <array>
#include <stdexcept>

namespace clubsafe::collector {

TlsSession::TlsSession(SSL_CTX* context, int socket) : ssl_(SSL_new(context)) {
  if (ssl_ == nullptr || SSL_set_fd(ssl_, socket) != 1) {
    SSL_free(ssl_);
    throw std::runtime_error("OpenSSL could not start a TLS connection (out of memory?).");
  }
  // An idle connection then holds no read or write buffers: a thousand idle clients cost
  // a few megabytes, not tens.
  SSL_set_mode(ssl_, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                         SSL_MODE_ENABLE_PARTIAL_WRITE);
  SSL_set_accept_state(ssl_);
}

TlsSession::~TlsSession() {
  SSL_free(ssl_);
}

TlsSession::Progress TlsSession::progressAfter(int result) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return Progress::WantRead;
    case SSL_ERROR_WANT_WRITE:
      return Progress::WantWrite;
    default:
      // The reasons stay with this connection; the next connection's errors start clean.
      ERR_clear_error();
      return Progress::Closed;
  }
}

TlsSession::Progress TlsSession::handshake() {
  const int result = SSL_do_handshake(ssl_);
  return result == 1 ? Progress::Done : progressAfter(result);
}

TlsSession::Progress TlsSession::read(std::string& into, std::size_t most) {
  std::array<char, 16384> buffer{};
  std::size_t total = 0;
  while (total < most) {
    const auto wanted = static_cast<int>(std::min(buffer.size(), most - total));
    const int got = SSL_read(ssl_, buffer.data(), wanted);
    if (got <= 0) return progressAfter(got);
    into.append(buffer.data(), static_cast<std::size_t>(got));
    total += static_cast<std::size_t>(got);
  }
  return Progress::Done;
}

TlsSession::Progress TlsSession::write(std::string_view data, std::size_t& written) {
  while (written < data.size()) {
    const auto remaining = data.substr(written);
    const int sent = SSL_write(ssl_, remaining.data(),
                               static_cast<int>(std::min<std::size_t>(remaining.size(), 1 << 20)));
    if (sent <= 0) return progressAfter(sent);
    written += static_cast<std::size_t>(sent);
  }
  return Progress::Done;
}

void TlsSession::shutdown() {
  if (SSL_is_init_finished(ssl_) == 1) (void)SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace clubsafe::collector
