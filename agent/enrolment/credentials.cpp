#include "agent/enrolment/credentials.hpp"

#include "agent/platform/private_file.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clubsafe::agent::enrolment {

std::string credentialsPath(const std::string& stateDir) {
  return (std::filesystem::path(stateDir) / "credentials.json").string();
}

void writeCredentials(const std::string& path, const Credentials& credentials) {
  Poco::JSON::Object object;
  object.set("server_url", credentials.serverUrl);
  object.set("device_id", credentials.deviceId);
  object.set("device_secret", credentials.deviceSecret);
  if (!credentials.fingerprint.empty()) object.set("fingerprint", credentials.fingerprint);
  if (!credentials.caFile.empty()) object.set("ca_file", credentials.caFile);
  std::ostringstream out;
  object.stringify(out, 2);
  out << '\n';
  platform::writePrivateFile(path, out.str());
}

std::optional<Credentials> readCredentials(const std::string& path) {
  std::error_code missing;
  if (!std::filesystem::exists(path, missing) && !missing) return std::nullopt;
  std::ifstream in(path);
  if (!in) {
    throw CredentialsError("Cannot read " + path + " (" + std::strerror(errno) +
                           "). Run this as root (with sudo).");
  }
  std::ostringstream text;
  text << in.rdbuf();
  const auto damaged = [&](const std::string& problem) {
    return CredentialsError(path + " is not a valid credentials file (" + problem +
                            "). Enrol this laptop again with clubsafe-agent enrol --force.");
  };
  try {
    const auto object = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    Credentials credentials;
    credentials.serverUrl = object->optValue<std::string>("server_url", "");
    credentials.deviceId = object->optValue<std::string>("device_id", "");
    credentials.deviceSecret = object->optValue<std::string>("device_secret", "");
    credentials.fingerprint = object->optValue<std::string>("fingerprint", "");
    credentials.caFile = object->optValue<std::string>("ca_file", "");
    if (credentials.serverUrl.empty() || credentials.deviceId.empty() ||
        credentials.deviceSecret.empty()) {
      throw damaged("server_url, device_id or device_secret is missing");
    }
    if (credentials.fingerprint.empty() == credentials.caFile.empty()) {
      throw damaged("it needs exactly one of fingerprint and ca_file");
    }
    return credentials;
  } catch (const Poco::Exception& error) {
    throw damaged(error.displayText());
  }
}

}  // namespace clubsafe::agent::enrolment
