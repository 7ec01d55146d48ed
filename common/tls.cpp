#include "common/tls.hpp"

#include "common/crypto.hpp"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Delegate.h>
#include <Poco/Net/InvalidCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/VerificationErrorArgs.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace clubsafe::common {
namespace {

// TLS 1.2 suites: forward secrecy (ECDHE) and authenticated encryption (AES-GCM, ChaCha20-Poly1305)
// only, for RSA and ECDSA certificates alike (the collector makes an ECDSA one; a club may bring
// an RSA one). TLS 1.3's suites are all of that kind already and are left as OpenSSL has them.
constexpr const char* kCipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:@STRENGTH";

// Decides on every certificate Poco could not verify. It is installed as the process's client
// handler so Poco never falls back to its own (which, inside a Poco application, would ask on
// the console). Without a pin it accepts nothing. With a pin it accepts only the pinned
// certificate itself: the pin store holds no CA, so every server's chain fails verification
// and comes through here, and a chain whose top is not the pinned certificate is refused before
// any request is sent.
class ClientCertificateHandler : public Poco::Net::InvalidCertificateHandler {
 public:
  ClientCertificateHandler() : InvalidCertificateHandler(false) {}

  void pin(const std::string& fingerprint) {
    std::lock_guard lock(mutex_);
    fingerprint_ = fingerprint;
  }

  void onInvalidCertificate(const void*, Poco::Net::VerificationErrorArgs& error) override {
    std::lock_guard lock(mutex_);
    const bool pinned = !fingerprint_.empty() && error.errorDepth() == 0 &&
                        constantTimeEquals(certificateFingerprint(error.certificate()), fingerprint_);
    error.setIgnoreError(pinned);
  }

 private:
  std::mutex mutex_;
  std::string fingerprint_;
};

// Installs the handler as the SSLManager's client handler and (re)attaches it to the
// verification event: Poco calls only the delegates on that event, and uninitializeSSL()
// clears it, so attaching once at construction is not enough.
void trustOnly(const Poco::Net::Context::Ptr& context, const std::string& fingerprint) {
  static ClientCertificateHandler* const handler = [&] {
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> owned(new ClientCertificateHandler);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, owned, context);
    return static_cast<ClientCertificateHandler*>(owned.get());
  }();
  handler->pin(fingerprint);
  const Poco::Delegate<ClientCertificateHandler, Poco::Net::VerificationErrorArgs> check(
      handler, &ClientCertificateHandler::onInvalidCertificate);
  auto& event = Poco::Net::SSLManager::instance().ClientVerificationError;
  event -= check;
  event += check;
}

}  // namespace

Poco::Net::Context::Ptr makeServerContext(const std::string& certificateFile,
                                          const std::string& privateKeyFile) {
  Poco::Net::Context::Params params;
  params.certificateFile = certificateFile;
  params.privateKeyFile = privateKeyFile;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.cipherList = kCipherList;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->preferServerCiphers();
  return context;
}

Poco::Net::Context::Ptr makeClientContext(const ServerTrust& trust) {
  Poco::Net::Context::Params params;
  params.cipherList = kCipherList;
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  if (!trust.fingerprint.empty()) {
    params.loadDefaultCAs = false;
  } else if (!trust.caFile.empty()) {
    params.caLocation = trust.caFile;
    params.loadDefaultCAs = false;
  } else {
    params.loadDefaultCAs = true;
  }
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  // A pinned certificate is trusted for itself, whatever host name it carries.
  context->enableExtendedCertificateVerification(trust.fingerprint.empty());
  trustOnly(context, trust.fingerprint);
  return context;
}

std::string certificateFingerprint(const Poco::Crypto::X509Certificate& certificate) {
  const X509* x509 = certificate.certificate();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(x509, EVP_sha256(), digest, &length) != 1) {
    throw std::runtime_error("Could not compute the certificate's fingerprint.");
  }
  return toHex({reinterpret_cast<const char*>(digest), length});
}

std::optional<std::string> normaliseFingerprint(std::string_view text) {
  constexpr std::string_view kPrefix = "sha256:";
  if (text.size() > kPrefix.size()) {
    std::string head(text.substr(0, kPrefix.size()));
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == kPrefix) text.remove_prefix(kPrefix.size());
  }
  std::string hex;
  for (const char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

}  // namespace clubsafe::common
