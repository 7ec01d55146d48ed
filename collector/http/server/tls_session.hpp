#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace clubsafe::collector {

// One TLS connection over a non-blocking socket, so that one thread can carry thousands of
// them: each call does what it can at once and says what it waits for.
class TlsSession {
 public:
  enum class Progress {
    Done,       // the step is complete (handshake done, all data written, or `most` bytes read)
    WantRead,   // no more can happen until the socket is readable
    WantWrite,  // no more can happen until the socket is writable
    Closed,     // the peer closed the connection or broke the protocol
  };

  TlsSession(SSL_CTX* context, int socket);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  [[nodiscard]] Progress handshake();
  // Appends to `into` what has arrived, at most `most` bytes.
  [[nodiscard]] Progress read(std::string& into, std::size_t most);
  // Sends `data` from `written` on, advancing `written`.
  [[nodiscard]] Progress write(std::string_view data, std::size_t& written);
  // Says goodbye to the peer, without waiting for its answer.
  void shutdown();

 private:
  [[nodiscard]] Progress progressAfter(int result);

  SSL* ssl_;
};

}  // namespace clubsafe::collector
