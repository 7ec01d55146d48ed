#include "collector/http/server/self_probe.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

#include <stdexcept>
#include <string>

namespace clubsafe::collector {
namespace {

// One client context for every probe: the watchdog probes every few seconds for as long as the
// collector runs, and a context is an OpenSSL SSL_CTX that connections may share. The server's
// own certificate is not checked: a probe asks nothing of it but an answer.
const Poco::Net::Context::Ptr& probeContext() {
  static const Poco::Net::Context::Ptr context = [] {
    Poco::Net::Context::Ptr made = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                          "", "", Poco::Net::Context::VERIFY_NONE);
    made->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return made;
  }();
  return context;
}

}  // namespace

void probeOwnServer(const Poco::Net::SocketAddress& listening, std::chrono::milliseconds timeout) {
  const auto& host = listening.host();
  const std::string loopback =
      host.family() == Poco::Net::AddressFamily::IPv6 ? "::1" : "127.0.0.1";
  const std::string address = host.isWildcard() ? loopback : host.toString();
  try {
    Poco::Net::HTTPSClientSession session(address, listening.port(), probeContext());
    session.setTimeout(Poco::Timespan(std::chrono::microseconds(timeout).count()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    Poco::NullOutputStream ignored;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), ignored);
    if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE) {
      throw std::runtime_error("it answered that every worker is busy");
    }
  } catch (const Poco::Exception& error) {
    throw std::runtime_error("no answer from " + address + " port " +
                             std::to_string(listening.port()) + ": " + error.displayText());
  }
}

}  // namespace clubsafe::collector
