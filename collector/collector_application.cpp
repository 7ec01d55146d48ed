#include "collector/collector_application.hpp"

#include "collector/auth/console_auth.hpp"
#include "collector/auth/console_auth_settings.hpp"
#include "collector/auth/device_auth.hpp"
#include "collector/backup_commands.hpp"
#include "collector/collector_settings.hpp"
#include "collector/filtering/default_notice.hpp"
#include "collector/filtering/filtering_service.hpp"
#include "collector/http/console_api.hpp"
#include "collector/http/device_api.hpp"
#include "collector/http/router.hpp"
#include "collector/http/server/https_server.hpp"
#include "collector/http/server/self_probe.hpp"
#include "collector/http/static_files.hpp"
#include "collector/jobs/periodic_job.hpp"
#include "collector/jobs/service_liveness.hpp"
#include "collector/mail/notification_service.hpp"
#include "collector/mail/smtp_mailer.hpp"
#include "collector/retention/member_retention.hpp"
#include "collector/retention/retention.hpp"
#include "collector/review/review_service.hpp"
#include "collector/state_owner.hpp"
#include "collector/storage/database_lock.hpp"
#include "collector/storage/sqlite_stores.hpp"
#include "collector/subscriptions/subscription_service.hpp"
#include "collector/tls/self_signed_certificate.hpp"
#include "common/domain_index/list_import.hpp"
#include "common/logging.hpp"
#include "common/service_notify.hpp"
#include "common/time.hpp"
#include "common/tls.hpp"

#include <Poco/Crypto/X509Certificate.h>
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/Option.h>

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <set>

namespace clubsafe::collector {
namespace {

constexpr int kExitConfig = 78;  // EX_CONFIG from sysexits.h
constexpr const char* kFirstManager = "manager";
constexpr const char* kImportReason = "Imported with clubsafe-collector import-list.";

// The commands' options: name, argument, description.
struct CommandOption {
  const char* name;
  const char* argument;
  const char* description;
};
constexpr CommandOption kCommandOptions[] = {
    {"category", "NAME", "import-list: the category the list's names go into."},
    {"format", "FORMAT", "import-list: plain, hosts, adblock or ut1."},
    {"file", "PATH", "import-list: the list file (may be gzip-compressed)."},
    {"source", "NAME", "import-list: where the list came from; default: the file's name."},
    {"ut1-dir", "DIR", "import-list: a UT1 folder to import categories from."},
    {"categories", "A,B,C", "import-list: the UT1 categories to import from --ut1-dir."},
    {"reason", "TEXT", "import-list: why, for the audit log."},
    {"to", "FILE", "backup: the new file the database is copied to."},
    {"from", "FILE", "restore: the file made by backup (the collector must be stopped)."},
};

std::string joinPath(const std::string& folder, const std::string& name) {
  return Poco::Path(folder).append(name).toString();
}

// Writes the one-time password where only root (the service user) can read it, so a volunteer
// who missed the terminal output can still find it.
void writeFirstLoginFile(const std::string& path, const std::string& password) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (descriptor < 0) throw std::runtime_error("Could not create " + path + ".");
  const std::string text = std::string("user ") + kFirstManager + "\npassword " + password + "\n";
  const bool written =
      ::write(descriptor, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(descriptor);
  if (!written) throw std::runtime_error("Could not write " + path + ".");
}

std::string readFirstLoginPassword(const std::string& path) {
  std::ifstream file(path);
  std::string key;
  std::string value;
  while (file >> key >> value) {
    if (key == "password") return value;
  }
  return {};
}

std::vector<std::string> certificateHostNames(const std::string& extra) {
  std::vector<std::string> names{"localhost"};
  const auto node = Poco::Environment::nodeName();
  if (!node.empty() && node != "localhost") names.push_back(node);
  Poco::StringTokenizer tokens(
      extra, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  names.insert(names.end(), tokens.begin(), tokens.end());
  return names;
}

// Connections the kernel holds for the server before it takes them; the server takes them at
// once, so this only covers bursts.
constexpr int kListenBacklog = 1024;

// The collector's time settings in whole seconds, the unit its components take.
std::chrono::seconds wholeSeconds(const common::Settings& settings, std::string_view key) {
  return std::chrono::duration_cast<std::chrono::seconds>(settings.duration(key));
}

ServerLimits serverLimits(const common::Settings& settings) {
  const auto count = [&](std::string_view key) {
    const auto value = settings.integer(key);
    if (value < 1)
      throw std::runtime_error("The setting " + std::string(key) + " must be 1 or more.");
    return static_cast<std::size_t>(value);
  };
  return {.threads = count("server.threads"),
          .maxConnections = count("server.max_connections"),
          .maxConnectionsPerAddress = count("server.max_connections_per_address"),
          .handshakeTimeout = wholeSeconds(settings, "server.handshake_timeout"),
          .requestTimeout = wholeSeconds(settings, "server.request_timeout"),
          .idleTimeout = wholeSeconds(settings, "server.idle_timeout")};
}

}  // namespace

CollectorApplication::CollectorApplication()
    : standardOptions_("/etc/clubsafe/collector.properties", collectorSettings()) {
  setUnixOptions(true);
}

CollectorApplication::~CollectorApplication() = default;

void CollectorApplication::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  standardOptions_.define(options);
  for (const auto& option : kCommandOptions) {
    options.addOption(Poco::Util::Option(option.name, "", option.description)
                          .required(false)
                          .repeatable(false)
                          .argument(option.argument));
  }
}

void CollectorApplication::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (!standardOptions_.handle(*this, name, value)) commandOptions_[name] = value;
  if (standardOptions_.helpRequested()) stopOptionsProcessing();
}

void CollectorApplication::initialize(Poco::Util::Application& self) {
  standardOptions_.load(*this);
  common::setupLogging("collector", common::Settings(config(), collectorSettings()));
  ServerApplication::initialize(self);
}

int CollectorApplication::main(const std::vector<std::string>& args) {
  if (standardOptions_.printRequestedHelp(
          *this,
          "[create-enrolment-token [LABEL] | show-fingerprint | import-list (--category NAME "
          "--format FORMAT --file PATH [--source NAME] | --ut1-dir DIR --categories A,B,C) "
          "[--reason TEXT] | backup --to FILE | restore --from FILE] [OPTIONS]",
          "The clubsafe collector: receives reports from the club's laptops and serves the web "
          "console. With no command it runs until stopped.")) {
    return EXIT_OK;
  }
  try {
    if (!args.empty() && args.front() == "backup") {
      return backupCommand(databaseFile(), commandOption("to"));
    }
    if (!args.empty() && args.front() == "restore") {
      return restoreCommand(databaseFile(), commandOption("from"));
    }
    // The collector itself too: run by hand as root on the service's folder, it would leave
    // files the service cannot write.
    actAsStateOwner(stateDir());
    if (args.empty()) return serve();
    if (args.front() == "create-enrolment-token") return createEnrolmentToken(args);
    if (args.front() == "show-fingerprint") return showFingerprint();
    if (args.front() == "import-list") return importList();
    std::cerr << "Unknown command \"" << args.front() << "\". Run " << commandName()
              << " --help to see the commands.\n";
    return EXIT_USAGE;
  } catch (const Poco::Exception& error) {
    spdlog::critical("{}", error.displayText());
    return EXIT_SOFTWARE;
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return EXIT_SOFTWARE;
  }
}

std::string CollectorApplication::stateDir() const {
  return config().getString("collector.state_dir");
}

std::string CollectorApplication::indexFolder() const {
  return joinPath(stateDir(), "index");
}

std::string CollectorApplication::databaseFile() const {
  const auto configured = config().getString("database.path");
  return configured.empty() ? joinPath(stateDir(), "collector.db") : configured;
}

std::string CollectorApplication::commandOption(const std::string& name) const {
  const auto found = commandOptions_.find(name);
  return found == commandOptions_.end() ? std::string() : found->second;
}

std::string CollectorApplication::certificateFile() const {
  const auto configured = config().getString("tls.certificate");
  return configured.empty() ? joinPath(stateDir(), "tls/collector.crt") : configured;
}

std::string CollectorApplication::privateKeyFile() const {
  const auto configured = config().getString("tls.private_key");
  return configured.empty() ? joinPath(stateDir(), "tls/collector.key") : configured;
}

std::string CollectorApplication::publicUrl() const {
  const auto configured = config().getString("server.public_url");
  if (!configured.empty()) return configured;
  auto host = config().getString("server.address");
  if (host == "0.0.0.0" || host == "::") host = Poco::Environment::nodeName();
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "https://" + host + ":" + config().getString("server.port");
}

void CollectorApplication::ensureCertificate() const {
  if (!config().getString("tls.certificate").empty()) return;
  const auto address = config().getString("server.address");
  std::vector<std::string> addresses{"127.0.0.1", "::1"};
  if (address != "0.0.0.0" && address != "::" && address != "127.0.0.1")
    addresses.push_back(address);
  if (ensureSelfSignedCertificate(certificateFile(), privateKeyFile(),
                                  certificateHostNames(config().getString("tls.hostnames")),
                                  addresses)) {
    spdlog::info("Made a self-signed TLS certificate in {}.", certificateFile());
  }
}

std::string CollectorApplication::fingerprint() const {
  ensureCertificate();
  return common::certificateFingerprint(Poco::Crypto::X509Certificate(certificateFile()));
}

const Stores& CollectorApplication::stores() {
  if (!stores_) {
    Poco::File(stateDir()).createDirectories();
    ::chmod(stateDir().c_str(), 0700);
    stores_ = std::make_unique<SqliteStores>(databaseFile());
  }
  return stores_->stores();
}

int CollectorApplication::createEnrolmentToken(const std::vector<std::string>& args) {
  const std::string label = args.size() > 1 ? args[1] : "";
  DeviceAuth deviceAuth(stores().devices);
  const common::Settings settings(config(), collectorSettings());
  const auto lifetime = wholeSeconds(settings, "enrolment.token_lifetime");
  const auto token =
      deviceAuth.createEnrolmentToken(label, "command line", common::nowUtc(), lifetime);
  std::cout << "Enrolment token made; it works once, until "
            << common::formatTimestamp(token.expiresAt) << ". On the laptop, run:\n"
            << enrolCommand(publicUrl(), fingerprint(), token.token) << "\n";
  return EXIT_OK;
}

int CollectorApplication::showFingerprint() {
  std::cout << fingerprint() << "\n";
  return EXIT_OK;
}

int CollectorApplication::importList() {
  std::vector<ListImport> lists;
  const auto ut1Folder = commandOption("ut1-dir");
  try {
    if (!ut1Folder.empty()) {
      Poco::StringTokenizer names(
          commandOption("categories"), ",",
          Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
      std::set<std::string> wanted(names.begin(), names.end());
      if (wanted.empty()) {
        std::cerr << "import-list --ut1-dir needs --categories, e.g. --categories gambling,vpn.\n";
        return EXIT_USAGE;
      }
      for (const auto& list : common::domain_index::findUt1Lists(ut1Folder)) {
        if (wanted.erase(list.category) == 0) continue;
        lists.push_back({.category = list.category,
                         .source = "ut1/" + list.category,
                         .format = "ut1",
                         .text = readListFile(list.file)});
      }
      if (!wanted.empty()) {
        std::cerr << "The UT1 folder " << ut1Folder << " has no category " << *wanted.begin()
                  << ". Check the name (UT1 calls violence \"agressif\" and drugs \"drogue\").\n";
        return EXIT_USAGE;
      }
    } else {
      const auto file = commandOption("file");
      if (commandOption("category").empty() || commandOption("format").empty() || file.empty()) {
        std::cerr << "import-list needs --category, --format and --file (or --ut1-dir and "
                     "--categories). Run "
                  << commandName() << " --help for the details.\n";
        return EXIT_USAGE;
      }
      const auto source = commandOption("source");
      lists.push_back({.category = commandOption("category"),
                       .source = source.empty() ? Poco::Path(file).getFileName() : source,
                       .format = commandOption("format"),
                       .text = readListFile(file)});
    }
    const auto reason = commandOption("reason");
    FilteringService filtering(stores().filtering, indexFolder());
    const auto imported =
        filtering.importLists(lists, {"system", reason.empty() ? kImportReason : reason});
    for (const auto& list : imported) {
      std::int64_t bad = 0;
      for (const auto& [why, count] : list.bad) bad += count;
      std::cout << "Imported " << list.category << "/" << list.source << ": " << list.names
                << " names, " << bad << " bad lines.\n";
    }
    const auto policy = stores().filtering.currentPolicy();
    std::cout << "Published filtering policy version " << policy.version << " (domain index "
              << policy.indexSha256 << ", " << policy.indexBytes << " bytes).\n";
    return EXIT_OK;
  } catch (const FilteringError& error) {
    std::cerr << error.what() << "\n";
    return EXIT_DATAERR;
  }
}

int CollectorApplication::serve() {
  const common::Settings settings(config(), collectorSettings());
  Poco::File(stateDir()).createDirectories();
  const DatabaseLock databaseLock(databaseFile());  // restore waits until this collector stops
  const auto& store = stores();
  const auto serverFingerprint = fingerprint();  // makes the certificate on first start

  ConsoleAuth consoleAuth(store.accounts, readConsoleAuthSettings(settings));
  DeviceAuth deviceAuth(store.devices);

  const auto firstLoginFile = joinPath(stateDir(), "first-login.txt");
  if (const auto password = consoleAuth.createFirstManagerIfNone(kFirstManager)) {
    writeFirstLoginFile(firstLoginFile, *password);
  }

  common::BatchLimits limits;
  limits.maxBytes = static_cast<std::size_t>(settings.integer("ingest.max_body_bytes"));
  limits.maxEvents = static_cast<std::size_t>(settings.integer("ingest.max_events"));
  ConsoleApiSettings consoleSettings;
  consoleSettings.offlineAfter = wholeSeconds(settings, "console.offline_after");
  consoleSettings.enrolmentTokenLifetime = wholeSeconds(settings, "enrolment.token_lifetime");
  consoleSettings.publicUrl = publicUrl();
  consoleSettings.fingerprint = serverFingerprint;
  consoleSettings.firstLoginFile = firstLoginFile;
  consoleSettings.clubTimeZone = settings.text("club.timezone");
  // A setting it cannot read stops the start with its message (club.opening_hours: …).
  consoleSettings.openingHours = parseOpeningHoursSetting(settings.text("club.opening_hours"));
  const auto mail = readMailSettings(settings);
  consoleSettings.mail = {.dsls = mail.enabled() && !mail.dslRecipients.empty(),
                          .managers = mail.enabled() && !mail.managerRecipients.empty()};

  RetentionPeriods retention;
  retention.health = std::chrono::days(settings.integer("retention.health_days"));
  retention.usage = std::chrono::days(settings.integer("retention.usage_days"));
  retention.safeguarding = std::chrono::days(settings.integer("retention.safeguarding_days"));
  retention.rollups = std::chrono::days(settings.integer("retention.rollup_days"));
  retention.accessLog = std::chrono::days(settings.integer("retention.access_log_days"));
  const RetentionPurger purger(store.events, store.readModel, store.accessLog, retention,
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   settings.duration("retention.check_interval")));

  const auto firstNotice =
      defaultNotice(settings.text("club.name"),
                    {.usageDays = settings.integer("retention.usage_days"),
                     .safeguardingDays = settings.integer("retention.safeguarding_days")});
  try {
    common::validateNotice(firstNotice);
  } catch (const common::PolicyError& error) {
    throw std::runtime_error("The setting club.name cannot be used on the monitoring notice (" +
                             std::string(error.what()) +
                             "). Give the club's name in 1 to 100 characters on one line.");
  }
  FilteringService filtering(store.filtering, indexFolder(), firstNotice);
  filtering.prepare();
  ReviewService review(store.review, filtering);
  // Timed allows of the filtering review end by the collector's own hand (docs/POLICY.md).
  const PeriodicJob allowEnds("Ending the timed allows of the filtering review",
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  settings.duration("review.check_interval")),
                              [&review] {
                                if (const auto ended = review.endDueAllows(common::nowUtc())) {
                                  spdlog::info("Ended {} timed allows of the filtering review.",
                                               ended);
                                }
                              });

  // The member register keeps a name only while its member comes to the club; sign-ins are
  // counted in the rollups, so it cannot look further back than they are kept.
  if (settings.integer("retention.member_days") > settings.integer("retention.rollup_days")) {
    throw std::runtime_error(
        "The setting retention.member_days is longer than "
        "retention.rollup_days, which keeps the sign-ins it looks at: make "
        "it at most " +
        std::to_string(settings.integer("retention.rollup_days")) + ".");
  }
  const PeriodicJob memberRetention(
      "Taking members not seen for retention.member_days off the register",
      std::chrono::duration_cast<std::chrono::milliseconds>(
          settings.duration("retention.check_interval")),
      [&store, &filtering, keepFor = std::chrono::days(settings.integer("retention.member_days"))] {
        (void)removeLapsedMembers(store.filtering, store.readModel, filtering, keepFor,
                                  common::nowUtc());
      });

  SubscriptionService subscriptions(store.subscriptions, store.filtering, filtering);
  const PeriodicJob listRefreshes(
      "Refreshing the subscribed filter lists",
      std::chrono::duration_cast<std::chrono::milliseconds>(
          settings.duration("subscriptions.check_interval")),
      [&subscriptions] { (void)subscriptions.refreshDue(common::nowUtc()); });

  const ClubTime clubTime(consoleSettings.clubTimeZone, consoleSettings.openingHours);
  SmtpMailer mailer(mail);
  NotificationService notifier(store.notifications, store.devices, mailer, mail,
                               {.consoleUrl = consoleSettings.publicUrl, .clubTime = clubTime});
  const PeriodicJob notifications("Sending notifications", mail.checkInterval,
                                  [&notifier] { notifier.runOnce(common::nowUtc()); });

  Router router;
  DeviceApi deviceApi(store.devices, store.events, store.filtering, deviceAuth, limits,
                      indexFolder(), settings.text("ingest.test_refuse_marker"));
  deviceApi.addRoutes(router);
  ConsoleApi consoleApi(store, consoleAuth, deviceAuth, filtering, review, subscriptions,
                        consoleSettings);
  consoleApi.addRoutes(router);
  router.setFallback(serveConsoleFile);

  const auto address = settings.text("server.address");
  const auto port = static_cast<Poco::UInt16>(settings.integer("server.port"));
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(address, port), kListenBacklog);
  HttpsServer server(
      socket, common::makeServerContext(certificateFile(), privateKeyFile()),
      [&router](ServerRequest& request, ServerResponse& response) {
        router.dispatch(request, response);
      },
      [&router](const Poco::Net::HTTPRequest& request) { return router.bodyLimit(request); },
      serverLimits(settings));
  server.start();

  const auto consoleUrl = "https://" + (address == "0.0.0.0" ? std::string("127.0.0.1") : address) +
                          ":" + std::to_string(socket.address().port()) + "/";
  std::cout << "clubsafe collector is running.\n"
            << "  Console:  " << consoleUrl << "\n"
            << "  Laptops reach it at " << consoleSettings.publicUrl << "\n"
            << "  Certificate fingerprint: " << serverFingerprint << "\n";
  if (Poco::File(firstLoginFile).exists() && common::standardOutputIsJournal()) {
    std::cout << "  Sign in as \"" << kFirstManager << "\" with the one-time password in "
              << firstLoginFile << " (sudo cat it; it is not written to the journal).\n";
  } else if (Poco::File(firstLoginFile).exists()) {
    std::cout << "  Sign in as \"" << kFirstManager
              << "\" with the one-time password: " << readFirstLoginPassword(firstLoginFile) << "\n"
              << "  (You will be asked to choose your own password. Until then it is also in "
              << firstLoginFile << ".)\n";
  }
  std::cout << std::flush;
  spdlog::info("Listening on {} port {}.", address, socket.address().port());

  // Under systemd (WatchdogSec): fed at a third of the interval, and only once the collector
  // has been seen doing its work, so one whose server or database hangs is restarted.
  std::optional<ServiceLiveness> liveness;
  std::optional<PeriodicJob> watchdog;
  if (const auto interval = common::serviceWatchdogInterval()) {
    const auto checkTimeout = *interval / 3;
    liveness.emplace(std::vector<ServiceLiveness::Check>{
        {"the HTTPS server answers",
         [listening = socket.address(), checkTimeout] { probeOwnServer(listening, checkTimeout); }},
        {"the database takes writes", [this] {
           stores_->database().write(
               "check that the database takes writes", [](Poco::Data::Session& session) {
                 int one = 0;
                 session << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now;
               });
         }}});
    watchdog.emplace("Checking that the collector works", *interval / 3,
                     [&liveness] { liveness->feedIfAlive(); });
  }
  common::notifyServiceReady();
  waitForTerminationRequest();
  common::notifyServiceStopping();
  spdlog::info("Stopping.");
  watchdog.reset();  // its check would find the server going away
  server.stop();
  return EXIT_OK;
}

}  // namespace clubsafe::collector
