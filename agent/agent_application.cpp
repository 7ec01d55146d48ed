#include "agent/agent_application.hpp"

#include "agent/assembly/agent_assembly.hpp"
#include "agent/assembly/agent_settings.hpp"
#include "agent/enrolment/credentials.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/platform/signals.hpp"
#include "agent/protection/system_steps.hpp"
#include "agent/protection/tamper_event.hpp"
#include "agent/runtime/progress_board.hpp"
#include "agent/sources/app_usage_source.hpp"
#include "agent/status/status_report.hpp"
#include "agent/tamper/run_marker.hpp"
#include "common/logging.hpp"
#include "common/service_notify.hpp"
#include "common/time.hpp"

#include <Poco/Net/SSLManager.h>
#include <Poco/Util/Option.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <optional>

namespace clubsafe::agent {
namespace {

constexpr const char* kDefaultConfigFile = "/etc/clubsafe/agent.properties";
constexpr const char* kNotEnrolled =
    "This laptop is not enrolled yet: run clubsafe-agent enrol --server URL --token TOKEN "
    "--fingerprint HEX (the console's Enrol page shows the command).";

// The enrol options, with the field each fills.
struct EnrolOption {
  const char* name;
  const char* argument;  // nullptr for a flag
  const char* description;
};
constexpr std::array<EnrolOption, 6> kEnrolOptions{{
    {"server", "URL", "enrol: the collector's address, e.g. https://club-server:8443."},
    {"token", "TOKEN", "enrol: the one-time enrolment token from the console."},
    {"fingerprint", "HEX", "enrol: the collector certificate's SHA-256 fingerprint."},
    {"ca-file", "FILE", "enrol: trust the collector through this CA certificate instead."},
    {"name", "NAME", "enrol: this laptop's name in the console (default: its host name)."},
    {"force", nullptr, "enrol: replace an existing enrolment."},
}};

int exitCodeFor(enrolment::EnrolmentError::Kind kind) {
  using Kind = enrolment::EnrolmentError::Kind;
  using App = Poco::Util::Application;
  switch (kind) {
    case Kind::BadArguments:
      return App::EXIT_USAGE;
    case Kind::AlreadyEnrolled:
    case Kind::CannotSave:
      return App::EXIT_CANTCREAT;
    case Kind::Refused:
      return App::EXIT_NOPERM;
    case Kind::Unreachable:
      return App::EXIT_UNAVAILABLE;
    case Kind::Untrusted:
    case Kind::Unexpected:
      return App::EXIT_PROTOCOL;
  }
  return App::EXIT_SOFTWARE;
}

// OpenSSL set up for the lifetime of a command that talks to the collector.
class SslLibrary {
 public:
  SslLibrary() { Poco::Net::initializeSSL(); }
  ~SslLibrary() { Poco::Net::uninitializeSSL(); }
  SslLibrary(const SslLibrary&) = delete;
  SslLibrary& operator=(const SslLibrary&) = delete;
};

// The outbox.* settings as the outbox's bounds.
outbox::OutboxBounds outboxBounds(const common::Settings& settings) {
  const auto maxBytes = std::max<std::int64_t>(settings.integer("outbox.max_bytes"), 0);
  return {.maxBytes = maxBytes,
          // A quarter of the cap for alerts, reports and tamper evidence, past which even they
          // are only counted: a flood of them must not fill the disk (issue 14).
          .maxNeverDroppedBytes = maxBytes / 4,
          .overflowEvent = [](const std::string& detail) {
            return protection::tamperEvent("outbox_overflow", detail);
          }};
}

}  // namespace

AgentApplication::AgentApplication()
    : settingsTable_(common::joinSettings(common::commonSettings(), agentSettings())),
      standardOptions_(kDefaultConfigFile, settingsTable_) {
  setUnixOptions(true);
}

void AgentApplication::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  standardOptions_.define(options);
  for (const auto& enrolOption : kEnrolOptions) {
    Poco::Util::Option option(enrolOption.name, "", enrolOption.description);
    option.required(false).repeatable(false);
    if (enrolOption.argument != nullptr) option.argument(enrolOption.argument);
    options.addOption(option);
  }
}

void AgentApplication::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (standardOptions_.handle(*this, name, value)) {
    if (standardOptions_.helpRequested()) stopOptionsProcessing();
    return;
  }
  const std::array<std::pair<const char*, std::string*>, 5> fields{{
      {"server", &enrolArguments_.server},
      {"token", &enrolArguments_.token},
      {"fingerprint", &enrolArguments_.fingerprint},
      {"ca-file", &enrolArguments_.caFile},
      {"name", &enrolArguments_.name},
  }};
  for (const auto& [option, field] : fields) {
    if (name == option) *field = value;
  }
  if (name == "force") enrolArguments_.force = true;
  const bool isEnrolOption = std::any_of(kEnrolOptions.begin(), kEnrolOptions.end(),
                                         [&](const EnrolOption& o) { return name == o.name; });
  if (isEnrolOption && firstEnrolOption_.empty()) firstEnrolOption_ = name;
}

int AgentApplication::main(const std::vector<std::string>& arguments) {
  if (standardOptions_.printRequestedHelp(
          *this, "enrol|run|status|prepare|give-back [options]",
          "The clubsafe agent on a club laptop.\n"
          "  enrol      join the club's collector (the console's Enrol page shows how)\n"
          "  run        record and upload events until stopped (the service runs this)\n"
          "  status     enrolled or not, what waits to be sent, the last error\n"
          "  prepare    the service's step before run: the files in /etc it needs\n"
          "  give-back  the service's step after run: the laptop's own resolv.conf back\n")) {
    return EXIT_OK;
  }
  if (arguments.size() != 1) {
    std::cerr << (arguments.empty()
                      ? std::string("Say what to do: enrol, run or status.")
                      : "Give one command, not " + std::to_string(arguments.size()) + ".")
              << " See " << commandName() << " --help.\n";
    return EXIT_USAGE;
  }
  const auto& command = arguments.front();
  if (command != "enrol" && command != "run" && command != "status" && command != "prepare" &&
      command != "give-back") {
    std::cerr << "Unknown command \"" << command
              << "\": use enrol, run or status (prepare and give-back are the service's).\n";
    return EXIT_USAGE;
  }
  if (command != "enrol" && !firstEnrolOption_.empty()) {
    std::cerr << "--" << firstEnrolOption_ << " is only for enrol.\n";
    return EXIT_USAGE;
  }
  try {
    standardOptions_.load(*this);
    const common::Settings settings(config(), standardOptions_.table());
    common::setupLogging("clubsafe-agent", settings);
    if (command == "enrol") return enrolCommand(settings);
    if (command == "run") return runCommand(settings);
    if (command == "prepare" || command == "give-back") return systemStepCommand(command, settings);
    return statusCommand(settings);
  } catch (const common::SettingsError& error) {
    std::cerr << error.what() << "\n";
    return EXIT_CONFIG;
  }
}

int AgentApplication::enrolCommand(const common::Settings& settings) {
  const SslLibrary ssl;
  try {
    const auto arguments = enrolment::validateEnrolArguments(enrolArguments_);
    const auto credentials = enrolment::enrol(arguments, settings.text("agent.state_dir"),
                                              settings.duration("upload.timeout"));
    std::cout << "This laptop is now enrolled as " << credentials.deviceId << " (\""
              << arguments.name << "\") with the collector at " << credentials.serverUrl
              << ".\nStart the agent with: systemctl restart clubsafe-agent\n";
    return EXIT_OK;
  } catch (const enrolment::EnrolmentError& error) {
    std::cerr << error.what() << "\n";
    return exitCodeFor(error.kind());
  }
}

int AgentApplication::systemStepCommand(const std::string& command,
                                        const common::Settings& settings) {
  try {
    if (command == "prepare") {
      protection::prepareSystem("/", protection::takesOverResolver(settings));
    } else {
      protection::giveBackSystem("/");
    }
    return EXIT_OK;
  } catch (const platform::FileError& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_CANTCREAT;
  }
}

int AgentApplication::statusCommand(const common::Settings& settings) {
  try {
    std::cout << status::statusReport(settings.text("agent.state_dir"), common::nowUtc());
    std::cout << sources::appUsageStatus(settings.text("agent.state_dir") +
                                         "/app_usage_modes.json");
    return EXIT_OK;
  } catch (const enrolment::CredentialsError& error) {
    std::cerr << error.what() << "\n";
  } catch (const outbox::OutboxError& error) {
    std::cerr << error.what() << "\n";
  }
  return EXIT_IOERR;
}

int AgentApplication::runCommand(const common::Settings& settings) {
  const auto stateDir = settings.text("agent.state_dir");
  std::optional<enrolment::Credentials> credentials;
  try {
    credentials = enrolment::readCredentials(enrolment::credentialsPath(stateDir));
  } catch (const enrolment::CredentialsError& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_CONFIG;
  }
  if (!credentials) {
    std::cerr << kNotEnrolled << "\n";
    return EXIT_CONFIG;
  }

  std::unique_ptr<outbox::Outbox> outbox;
  // Removed on every way out of this function; left behind only by a kill, crash or power cut.
  std::unique_ptr<tamper::RunMarker> runMarker;
  try {
    platform::ensurePrivateDirectory(stateDir);
    outbox = std::make_unique<outbox::Outbox>(
        outbox::outboxPath(stateDir), outbox::Outbox::Access::ReadWrite, outboxBounds(settings));
    runMarker = std::make_unique<tamper::RunMarker>(stateDir);
  } catch (const std::runtime_error& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_CANTCREAT;
  }

  const SslLibrary ssl;
  platform::blockTerminationSignals();  // before any thread starts, so all inherit it
  runtime::ProgressBoard progress([] { common::notifyServiceAlive(); });
  const assembly::AgentCore core{settings, stateDir, *credentials, *outbox, progress};
  try {
    assembly::AgentAssembly agent(core, *runMarker);
    spdlog::info(
        "clubsafe-agent {} started as device {}: recording, and uploading to {}; {} events "
        "are waiting.",
        CLUBSAFE_VERSION, credentials->deviceId, credentials->serverUrl, outbox->depth());
    agent.services().start();
    common::notifyServiceReady();
    waitForTerminationRequest();
    common::notifyServiceStopping();
    spdlog::info("Stopping; events not yet sent stay in {} for the next start.", outbox->path());
    agent.services().stop();
    return EXIT_OK;
  } catch (const assembly::ConfigError& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_CONFIG;
  } catch (const runtime::ServiceStartError& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_SOFTWARE;
  }
}

}  // namespace clubsafe::agent
