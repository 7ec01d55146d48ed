#pragma once

#include <string>
#include <vector>

namespace clubsafe::collector {

// Makes an EC P-256 key and a self-signed certificate for the given DNS names and IP
// addresses when either file is missing; leaves existing files alone. The key file is created
// with mode 0600. The certificate is valid for ten years because agents pin it: a renewed
// certificate means re-enrolling every laptop. Returns true when it made new files.
bool ensureSelfSignedCertificate(const std::string& certificateFile, const std::string& keyFile,
                                 const std::vector<std::string>& dnsNames,
                                 const std::vector<std::string>& ipAddresses);

}  // namespace clubsafe::collector
