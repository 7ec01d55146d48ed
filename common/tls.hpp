#pragma once

#include <Poco/Net/Context.h>

#include <optional>
#include <string>
#include <string_view>

namespace Poco::Crypto {
class X509Certificate;
}

namespace clubsafe::common {

// A server context that speaks TLS 1.2 or newer only.
[[nodiscard]] Poco::Net::Context::Ptr makeServerContext(const std::string& certificateFile,
                                                        const std::string& privateKeyFile);

// How a client decides to trust the collector: a CA file (the certificate must chain to it and
// name the host), or the SHA-256 fingerprint of the collector's own certificate (pinning).
struct ServerTrust {
  std::string caFile;
  std::string fingerprint;  // normalised by normaliseFingerprint
};

// A client context that speaks TLS 1.2 or newer and trusts exactly what `trust` says. Poco
// reports verification errors through one process-wide handler, so the pin is process-wide
// too: one process talks to one collector.
[[nodiscard]] Poco::Net::Context::Ptr makeClientContext(const ServerTrust& trust);

// "SHA256" digest of the certificate's DER encoding as 64 lowercase hex digits.
[[nodiscard]] std::string certificateFingerprint(const Poco::Crypto::X509Certificate& certificate);

// Accepts 64 hex digits in either case, with or without colons and a "sha256:" prefix;
// nullopt for anything else.
[[nodiscard]] std::optional<std::string> normaliseFingerprint(std::string_view text);

}  // namespace clubsafe::common
