#include "agent/enrolment/enrolment.hpp"

#include "agent/client/collector_client.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/platform/system_info.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SSLException.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace clubsafe::agent::enrolment {
namespace {

using Kind = EnrolmentError::Kind;

constexpr const char* kEnrolPath = "/api/device/v1/enrol";
constexpr const char* kCopyTheCommand = " Copy the whole command from the console's Enrol page.";

[[noreturn]] void badArgument(const std::string& message) {
  throw EnrolmentError(Kind::BadArguments, message);
}

std::string enrolRequest(const EnrolArguments& arguments) {
  Poco::JSON::Object body;
  body.set("token", arguments.token);
  body.set("name", arguments.name);
  body.set("hostname", platform::hostName());
  body.set("os", platform::operatingSystemName());
  body.set("agent_version", std::string(CLUBSAFE_VERSION));
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

client::Reply post(const EnrolArguments& arguments, std::chrono::milliseconds timeout) {
  const common::ServerTrust trust{arguments.caFile, arguments.fingerprint};
  try {
    client::CollectorClient client(arguments.server, trust, timeout);
    return client.postJson(kEnrolPath, enrolRequest(arguments));
  } catch (const Poco::Net::SSLException& error) {
    if (!arguments.fingerprint.empty()) {
      throw EnrolmentError(Kind::Untrusted,
                           "The collector's certificate does not match the fingerprint you gave. "
                           "Check the command you copied from the console. (" +
                               error.displayText() + ")");
    }
    throw EnrolmentError(Kind::Untrusted, "The collector's certificate is not trusted by " +
                                              arguments.caFile + " (" + error.displayText() +
                                              "). Check that it is the CA that signed the "
                                              "collector's certificate.");
  } catch (const Poco::Exception& error) {
    throw EnrolmentError(Kind::Unreachable,
                         "Cannot reach the collector at " + arguments.server + " (" +
                             error.displayText() +
                             "). Check the address, that the collector is running, and that "
                             "this laptop is on the network.");
  }
}

Credentials credentialsFrom(const client::Reply& reply, const EnrolArguments& arguments) {
  Credentials credentials;
  credentials.serverUrl = arguments.server;
  credentials.fingerprint = arguments.fingerprint;
  credentials.caFile = arguments.caFile;
  try {
    const auto object = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    credentials.deviceId = object->optValue<std::string>("device_id", "");
    credentials.deviceSecret = object->optValue<std::string>("device_secret", "");
  } catch (const Poco::Exception&) {
    // Reported below, with the other ways the answer can be incomplete.
  }
  if (credentials.deviceId.empty() || credentials.deviceSecret.empty()) {
    throw EnrolmentError(Kind::Unexpected,
                         "The collector accepted the token but its answer had no device "
                         "credential. Check that the collector and this agent are the same "
                         "version, then make a new token and enrol again.");
  }
  return credentials;
}

void refuseIfEnrolled(const std::string& path) {
  std::optional<Credentials> existing;
  try {
    existing = readCredentials(path);
  } catch (const CredentialsError&) {
    throw EnrolmentError(Kind::AlreadyEnrolled,
                         "A credentials file already exists at " + path +
                             " but cannot be read. Add --force to replace it.");
  }
  if (existing) {
    throw EnrolmentError(Kind::AlreadyEnrolled,
                         "This laptop is already enrolled as " + existing->deviceId +
                             " with the collector at " + existing->serverUrl +
                             ". To enrol it again (for example after it was revoked), add --force.");
  }
}

}  // namespace

EnrolArguments validateEnrolArguments(EnrolArguments arguments) {
  if (arguments.server.empty()) badArgument("--server is missing." + std::string(kCopyTheCommand));
  try {
    (void)client::parseServerUrl(arguments.server);
  } catch (const std::invalid_argument& error) {
    badArgument(error.what());
  }
  if (arguments.token.empty()) badArgument("--token is missing." + std::string(kCopyTheCommand));
  if (!arguments.fingerprint.empty() && !arguments.caFile.empty()) {
    badArgument("Give either --fingerprint or --ca-file, not both.");
  }
  if (arguments.fingerprint.empty() && arguments.caFile.empty()) {
    badArgument("Give --fingerprint (shown beside the command on the console's Enrol page) or "
                "--ca-file, so the agent can tell it is talking to your collector.");
  }
  if (!arguments.fingerprint.empty()) {
    const auto fingerprint = common::normaliseFingerprint(arguments.fingerprint);
    if (!fingerprint) {
      badArgument("--fingerprint must be the 64 hexadecimal digits the console shows." +
                  std::string(kCopyTheCommand));
    }
    arguments.fingerprint = *fingerprint;
  }
  if (!arguments.caFile.empty()) {
    if (!std::ifstream(arguments.caFile)) badArgument("Cannot read the CA file " + arguments.caFile + ".");
    // The daemon does not run in the directory enrol was run from.
    arguments.caFile = std::filesystem::absolute(arguments.caFile).string();
  }
  if (arguments.name.empty()) arguments.name = platform::hostName();
  return arguments;
}

Credentials enrol(const EnrolArguments& arguments, const std::string& stateDir,
                  std::chrono::milliseconds timeout) {
  const auto path = credentialsPath(stateDir);
  if (!arguments.force) refuseIfEnrolled(path);

  const auto reply = post(arguments, timeout);
  switch (reply.status) {
    case 201: break;
    case 401:
      throw EnrolmentError(Kind::Refused,
                           "The collector refused the enrolment token: it is wrong, already used, "
                           "revoked or expired. Make a new one on the console's Enrol page and "
                           "run the command it shows.");
    case 400:
      throw EnrolmentError(Kind::Unexpected,
                           "The collector did not accept the enrolment request (" +
                               reply.errorMessage() +
                               "). Check that the collector and this agent are the same version.");
    default:
      throw EnrolmentError(Kind::Unexpected, "The collector answered the enrolment with HTTP " +
                                                 std::to_string(reply.status) + " (" +
                                                 reply.errorMessage() + "). Try again later.");
  }

  const auto credentials = credentialsFrom(reply, arguments);
  try {
    platform::ensurePrivateDirectory(stateDir);
    writeCredentials(path, credentials);
  } catch (const platform::FileError& error) {
    throw EnrolmentError(Kind::CannotSave,
                         std::string(error.what()) +
                             " The collector has enrolled this laptop but its credential could not "
                             "be saved: run the command as root (with sudo), with a new token, and "
                             "revoke the unused device in the console.");
  }
  return credentials;
}

}  // namespace clubsafe::agent::enrolment
