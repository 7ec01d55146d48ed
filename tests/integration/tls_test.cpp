// The collector's TLS as a client sees it, with Debian's openssl s_client: TLS 1.2 and newer,
// and in TLS 1.2 only ECDHE key exchange with AEAD encryption, for the ECDSA certificate the
// collector makes itself and for an RSA certificate a club brings.
#include "tests/integration/harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace clubsafe::testing {
namespace {

constexpr const char* kOpenssl = "/usr/bin/openssl";

enum class Certificate { SelfSignedEcdsa, ClubsRsa };

class CollectorTls : public ::testing::TestWithParam<Certificate> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kOpenssl)) {
      GTEST_SKIP() << "openssl is not installed: run scripts/install-deps.sh (package openssl).";
    }
    std::vector<std::string> settings;
    if (GetParam() == Certificate::ClubsRsa) {
      const auto made =
          runCommand(kOpenssl, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                "-subj", "/CN=127.0.0.1", "-keyout", dir_.file("club.key"), "-out",
                                dir_.file("club.crt")});
      ASSERT_EQ(made.status, 0) << made.output;
      settings = {"tls.certificate=" + dir_.file("club.crt"),
                  "tls.private_key=" + dir_.file("club.key")};
    }
    collector_ = std::make_unique<Collector>(dir_, settings);
    collector_->start();
  }

  // `suite` with the certificate's signature kind filled in for "{}" (ECDSA or RSA).
  static std::string suite(std::string pattern) {
    const auto at = pattern.find("{}");
    if (at != std::string::npos) {
      pattern.replace(at, 2, GetParam() == Certificate::ClubsRsa ? "RSA" : "ECDSA");
    }
    return pattern;
  }

  CommandResult handshake(const std::vector<std::string>& options) const {
    std::vector<std::string> arguments{"s_client", "-brief", "-connect",
                                       "127.0.0.1:" + std::to_string(collector_->port())};
    arguments.insert(arguments.end(), options.begin(), options.end());
    return runCommand(kOpenssl, arguments, 20s);
  }

  TempDir dir_;
  std::unique_ptr<Collector> collector_;
};

TEST_P(CollectorTls, Tls12TakesEcdheWithAesGcmOrChaCha20) {
  for (const auto* pattern :
       {"ECDHE-{}-AES128-GCM-SHA256", "ECDHE-{}-AES256-GCM-SHA384", "ECDHE-{}-CHACHA20-POLY1305"}) {
    const auto cipher = suite(pattern);
    const auto result = handshake({"-tls1_2", "-cipher", cipher});
    EXPECT_EQ(result.status, 0) << cipher << "\n" << result.output;
    EXPECT_NE(result.output.find("Ciphersuite: " + cipher), std::string::npos) << result.output;
  }
}

TEST_P(CollectorTls, Tls12RefusesKeyExchangeWithoutEcdheAndEncryptionWithoutAead) {
  // The first three were offered before: ECDHE with CBC and SHA-1 or SHA-2 MACs (HIGH).
  for (const auto* pattern :
       {"ECDHE-{}-AES128-SHA256", "ECDHE-{}-AES256-SHA384", "ECDHE-{}-AES256-SHA", "AES128-SHA256",
        "AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256"}) {
    const auto cipher = suite(pattern);
    const auto result = handshake({"-tls1_2", "-cipher", cipher});
    EXPECT_NE(result.status, 0) << cipher << "\n" << result.output;
    EXPECT_EQ(result.output.find("Ciphersuite:"), std::string::npos) << result.output;
  }
}

TEST_P(CollectorTls, Tls13IsTakenAndOlderVersionsAreNot) {
  const auto tls13 = handshake({"-tls1_3"});
  EXPECT_EQ(tls13.status, 0) << tls13.output;
  EXPECT_NE(tls13.output.find("Protocol version: TLSv1.3"), std::string::npos) << tls13.output;
  // The client lowers its own security level, so that only the collector can refuse.
  const auto tls11 = handshake({"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"});
  EXPECT_NE(tls11.status, 0) << tls11.output;
  EXPECT_EQ(tls11.output.find("Ciphersuite:"), std::string::npos) << tls11.output;
}

INSTANTIATE_TEST_SUITE_P(Certificates, CollectorTls,
                         ::testing::Values(Certificate::SelfSignedEcdsa, Certificate::ClubsRsa),
                         [](const auto& param) {
                           return param.param == Certificate::ClubsRsa ? "ClubsRsa"
                                                                       : "SelfSignedEcdsa";
                         });

}  // namespace
}  // namespace clubsafe::testing
