#include "common/tls.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace clubsafe::common {
namespace {

// What a context offers: TLS 1.2 or newer; in TLS 1.2 only ECDHE suites, and every suite AEAD
// (TLS 1.3's leave the key exchange to the protocol: NID_kx_any). Returns the TLS 1.2 ones.
std::vector<std::string> expectEcdheAeadOnly(const Poco::Net::Context::Ptr& context) {
  SSL_CTX* ssl = context->sslContext();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ssl), TLS1_2_VERSION);
  std::vector<std::string> tls12;
  const STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ssl);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    const std::string name = SSL_CIPHER_get_name(cipher);
    EXPECT_EQ(SSL_CIPHER_is_aead(cipher), 1) << name;
    const int exchange = SSL_CIPHER_get_kx_nid(cipher);
    EXPECT_TRUE(exchange == NID_kx_ecdhe || exchange == NID_kx_any) << name;
    if (exchange == NID_kx_ecdhe) tls12.push_back(name);
  }
  return tls12;
}

TEST(TlsContexts, ServerAndClientOfferTls12OnlyWithEcdheAndAead) {
  const std::vector<std::string> expected{
      "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
      "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"};
  EXPECT_EQ(expectEcdheAeadOnly(makeServerContext("", "")), expected);
  EXPECT_EQ(
      expectEcdheAeadOnly(makeClientContext({.caFile = "", .fingerprint = std::string(64, 'a')})),
      expected);
}

TEST(Fingerprint, NormalisesTheFormsPeopleCopy) {
  const std::string hex = "ab" + std::string(62, '0');
  EXPECT_EQ(normaliseFingerprint(hex), hex);
  EXPECT_EQ(normaliseFingerprint("AB" + std::string(62, '0')), hex);
  std::string colons = "AB";
  for (int i = 0; i < 31; ++i) colons += ":00";
  EXPECT_EQ(normaliseFingerprint(colons), hex);
  EXPECT_EQ(normaliseFingerprint("SHA256:" + colons), hex);
}

TEST(Fingerprint, RefusesAnythingElse) {
  EXPECT_FALSE(normaliseFingerprint(""));
  EXPECT_FALSE(normaliseFingerprint(std::string(63, 'a')));
  EXPECT_FALSE(normaliseFingerprint(std::string(66, 'a')));
  EXPECT_FALSE(normaliseFingerprint("zz" + std::string(62, '0')));
  EXPECT_FALSE(normaliseFingerprint("md5:" + std::string(64, 'a')));
}

}  // namespace
}  // namespace clubsafe::common
