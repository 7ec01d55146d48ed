#pragma once

#include "agent/dns/filter_decision.hpp"
#include "agent/notices/block_notifier.hpp"
#include "agent/notices/report_limiter.hpp"
#include "agent/platform/socket_owner.hpp"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace clubsafe::agent::notices {

// The block page cannot listen; the message names the address and what to change.
class BlockPageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BlockPageOptions {
  std::string address = "127.0.0.2";  // the DNS filter's block address (dns.block_address_v4)
  std::uint16_t port = 80;            // 0: a free one (tests)
};

// The page a browser gets when it opens a blocked site over plain HTTP: the DNS filter answers
// blocked names with this server's address (SPEC N3). Plain HTTP only: HTTPS to a blocked name
// fails in the browser, as nothing here holds a certificate for it and nothing is installed on
// the laptop to pretend otherwise.
//
// Every GET, whatever the path, gets the page for the Host header's site: that it is blocked,
// why (asked of `filter` now, in plain words), an "Ask for a review" form and a "Report a worry"
// form with CEOP's and Childline's details. POST /review and POST /worry become review_request
// and worry_report events through `reports` (its per-account limits), stamped with the login
// name of whoever opened the connection. Taken only when: the other end of the connection is
// an established socket on this laptop owned by an account other than root (`owners`, asked
// before the body is read); the body is form-encoded and at most 8 KiB; it carries the form
// token of the page served for this Host (an HMAC of the host and port under this run's random
// secret, so a token read on one site is worth nothing on another); and when the browser sends
// Origin or Referer, they name the same host.
class BlockPageServer {
 public:
  BlockPageServer(const BlockPageOptions& options, const dns::FilterDecision& filter,
                  IndexInForce indexInForce, ReportLimiter& reports,
                  const platform::SocketOwners& owners);
  ~BlockPageServer();
  BlockPageServer(const BlockPageServer&) = delete;
  BlockPageServer& operator=(const BlockPageServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Stops accepting and waits for the requests under way. Safe to call twice.
  void stop();

 private:
  class Pages;
  std::unique_ptr<Pages> pages_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace clubsafe::agent::notices
