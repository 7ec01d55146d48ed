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

constexpr const char* kCipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:@STRENGTH";

// Accepts a certificate Poco could not verify only when it is the pinned one itself. The pin
// store has no CA in it, so every server's chain fails verification and comes through here:
// a chain whose top is not the pinned certificate is refused before any request is sent.
class PinnedCertificateHandler : public Poco::Net::InvalidCertificateHandler {
 public:
  PinnedCertificateHandler() : InvalidCertificateHandler(false) {}

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

PinnedCertificateHandler& pinHandler() {
  static PinnedCertificateHandler handler;
  return handler;
}

// Poco calls only the handlers added to its verification event (constructing one adds nothing),
// and uninitializeSSL() clears the event, so the pin is (re)attached each time it is set.
void attachPinHandler() {
  const Poco::Delegate<PinnedCertificateHandler, Poco::Net::VerificationErrorArgs> check(
      &pinHandler(), &PinnedCertificateHandler::onInvalidCertificate);
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
    pinHandler().pin(trust.fingerprint);
    attachPinHandler();
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
