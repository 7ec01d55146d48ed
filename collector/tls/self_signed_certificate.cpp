#include "collector/tls/self_signed_certificate.hpp"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* pointer) const {
    Free(pointer);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertificatePtr = std::unique_ptr<X509, Deleter<X509_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

constexpr long kValiditySeconds = 10L * 365 * 24 * 60 * 60;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("Could not make the collector's TLS certificate: " + what + ".");
}

void addExtension(X509* certificate, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    fail("bad certificate extension " + value);
  }
}

// Opens a new file readable only by its owner (or by everyone for the certificate), for writing.
FILE* createFile(const std::string& path, mode_t mode) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (descriptor < 0) fail("cannot create " + path);
  FILE* file = ::fdopen(descriptor, "w");
  if (file == nullptr) {
    ::close(descriptor);
    fail("cannot write " + path);
  }
  return file;
}

void writePem(const std::string& path, mode_t mode, const std::function<int(FILE*)>& write) {
  FILE* file = createFile(path, mode);
  const bool written = write(file) == 1;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) fail("cannot write " + path);
}

}  // namespace

bool ensureSelfSignedCertificate(const std::string& certificateFile, const std::string& keyFile,
                                 const std::vector<std::string>& dnsNames,
                                 const std::vector<std::string>& ipAddresses) {
  if (Poco::File(certificateFile).exists() && Poco::File(keyFile).exists()) return false;
  Poco::File(Poco::Path(certificateFile).parent()).createDirectories();
  Poco::File(Poco::Path(keyFile).parent()).createDirectories();

  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("key generation failed");

  CertificatePtr certificate(X509_new());
  if (!certificate) fail("out of memory");
  X509_set_version(certificate.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("no random numbers");
  serial[0] &= 0x7f;  // a positive serial number
  std::unique_ptr<BIGNUM, Deleter<BN_free>> serialNumber(BN_bin2bn(serial, sizeof serial, nullptr));
  BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(certificate.get()));
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60 * 60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), kValiditySeconds);
  X509_set_pubkey(certificate.get(), key.get());

  X509_NAME* name = X509_get_subject_name(certificate.get());
  const std::string commonName = dnsNames.empty() ? "clubsafe collector" : dnsNames.front();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("clubsafe"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1, 0);
  X509_set_issuer_name(certificate.get(), name);

  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on `"," + ("DNS:" + name)`.
  std::string alternativeNames;
  const auto addAlternativeName = [&alternativeNames](const char* kind, const std::string& value) {
    if (!alternativeNames.empty()) alternativeNames += ',';
    alternativeNames.append(kind).append(value);
  };
  for (const auto& dns : dnsNames) addAlternativeName("DNS:", dns);
  for (const auto& ip : ipAddresses) addAlternativeName("IP:", ip);
  if (!alternativeNames.empty())
    addExtension(certificate.get(), NID_subject_alt_name, alternativeNames);
  addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(certificate.get(), NID_key_usage, "critical,digitalSignature");
  addExtension(certificate.get(), NID_ext_key_usage, "serverAuth");

  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) fail("signing failed");

  writePem(keyFile, 0600, [&](FILE* file) {
    return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  writePem(certificateFile, 0644,
           [&](FILE* file) { return PEM_write_X509(file, certificate.get()); });
  return true;
}

}  // namespace clubsafe::collector
