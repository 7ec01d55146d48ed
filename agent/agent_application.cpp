#include "agent/agent_application.hpp"

#include "agent/assembly/agent_settings.hpp"
#include "agent/client/collector_client.hpp"
#include "agent/dns/decision_recorder.hpp"
#include "agent/dns/dns_settings.hpp"
#include "agent/dns/index_file_watcher.hpp"
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/profile_filter.hpp"
#include "agent/enrolment/credentials.hpp"
#include "agent/history/history_source.hpp"
#include "agent/notices/block_notifier.hpp"
#include "agent/notices/block_page_server.hpp"
#include "agent/notices/notice_server.hpp"
#include "agent/notices/notice_service.hpp"
#include "agent/notices/notice_ticker.hpp"
#include "agent/notices/overrides.hpp"
#include "agent/notices/worker_pins.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/platform/browser_policy.hpp"
#include "agent/platform/browser_profiles.hpp"
#include "agent/platform/clocks.hpp"
#include "agent/platform/desktop_applications.hpp"
#include "agent/platform/foreground_window.hpp"
#include "agent/platform/login_sessions.hpp"
#include "agent/platform/packet_filter.hpp"
#include "agent/platform/private_file.hpp"
#include "agent/platform/process_lister.hpp"
#include "agent/platform/resolver_settings.hpp"
#include "agent/platform/signals.hpp"
#include "agent/platform/socket_owner.hpp"
#include "agent/policy/active_profile.hpp"
#include "agent/policy/policy_keeper.hpp"
#include "agent/protection/browser_policies.hpp"
#include "agent/protection/outbound_lockdown.hpp"
#include "agent/protection/resolver_takeover.hpp"
#include "agent/protection/system_steps.hpp"
#include "agent/protection/tamper_event.hpp"
#include "agent/recording/phrase_library.hpp"
#include "agent/recording/phrase_matcher.hpp"
#include "agent/runtime/progress_board.hpp"
#include "agent/selftest/expectations.hpp"
#include "agent/selftest/filter_self_test.hpp"
#include "agent/sources/app_list_source.hpp"
#include "agent/sources/app_usage_source.hpp"
#include "agent/sources/heartbeat_source.hpp"
#include "agent/sources/session_source.hpp"
#include "agent/sources/source_scheduler.hpp"
#include "agent/status/status_report.hpp"
#include "agent/tamper/slow_test_source.hpp"
#include "agent/tamper/stuck_source_watch.hpp"
#include "agent/tamper/tamper_watch.hpp"
#include "agent/upload/https_batch_sender.hpp"
#include "agent/upload/uploader.hpp"
#include "common/logging.hpp"
#include "common/service_notify.hpp"
#include "common/time.hpp"

#include <Poco/Net/SSLManager.h>
#include <Poco/Util/Option.h>

#include <spdlog/spdlog.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

namespace clubsafe::agent {
namespace {

constexpr const char* kDefaultConfigFile = "/etc/clubsafe/agent.properties";
constexpr const char* kResolvConf = "/etc/resolv.conf";
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

// A thread that is told to stop and joined when this goes away, however the scope is left.
class BackgroundThread {
 public:
  BackgroundThread(const std::function<void()>& body, std::function<void()> stop)
      : stop_(std::move(stop)), thread_(body) {}
  ~BackgroundThread() {
    stop_();
    thread_.join();
  }
  BackgroundThread(const BackgroundThread&) = delete;
  BackgroundThread& operator=(const BackgroundThread&) = delete;

 private:
  std::function<void()> stop_;
  std::thread thread_;
};

std::string readSmallFile(const char* path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Starts the DNS filter, or says in the log why it could not listen and goes on without it:
// recording and uploading are still worth having.
std::unique_ptr<dns::DnsProxy> startDnsFilter(dns::DnsProxyOptions options,
                                              const dns::FilterDecision& filter,
                                              dns::DecisionRecorder& decisions) {
  if (options.upstreams.empty()) {
    spdlog::warn(
        "The DNS filter has no resolver to forward allowed names to: {} names none but "
        "loopback addresses. Set dns.upstreams to the resolvers to use (for example "
        "the router's address); until then allowed names get SERVFAIL.",
        kResolvConf);
  }
  std::string upstreams;
  for (const auto& upstream : options.upstreams) {
    upstreams += (upstreams.empty() ? "" : ", ") + upstream.text();
  }
  const auto listen = options.listen.text();
  try {
    auto proxy = std::make_unique<dns::DnsProxy>(std::move(options), filter, &decisions);
    spdlog::info("The DNS filter answers on {} (UDP and TCP) and forwards allowed names to {}.",
                 listen, upstreams.empty() ? "nobody" : upstreams);
    return proxy;
  } catch (const dns::DnsError& error) {
    spdlog::error("{} Names are not filtered until the agent is restarted.", error.what());
    return nullptr;
  }
}

// Puts the outbound lock-down in place, once the DNS filter answers: a failure is logged and
// tried again at each of the scheduler's polls.
protection::OutboundLockdown* startOutboundLockdown(platform::PacketFilter& packetFilter,
                                                    std::string ruleset,
                                                    std::chrono::milliseconds interval,
                                                    sources::SourceScheduler& scheduler) {
  auto lockdown =
      std::make_unique<protection::OutboundLockdown>(packetFilter, std::move(ruleset), interval);
  try {
    lockdown->install();
    spdlog::info(
        "Outbound DNS is locked down: only the filter's queries leave for port 53 and "
        "853 (nftables table {}).",
        protection::kLockdownTable);
  } catch (const protection::LockdownError& error) {
    spdlog::error("{} The agent tries again every {} seconds.", error.what(),
                  std::chrono::duration_cast<std::chrono::seconds>(interval).count());
  }
  auto* kept = lockdown.get();
  scheduler.add(std::move(lockdown));
  return kept;
}

std::size_t positive(std::int64_t value) {
  return static_cast<std::size_t>(std::max<std::int64_t>(value, 1));
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
        outbox::outboxPath(stateDir), outbox::Outbox::Access::ReadWrite,
        outbox::OutboxBounds{
            .maxBytes = std::max<std::int64_t>(settings.integer("outbox.max_bytes"), 0),
            // A quarter of the cap for alerts, reports and tamper evidence, past which even they
            // are only counted: a flood of them must not fill the disk (issue 14).
            .maxNeverDroppedBytes =
                std::max<std::int64_t>(settings.integer("outbox.max_bytes"), 0) / 4,
            .overflowEvent = [](const std::string& detail) {
              return protection::tamperEvent("outbox_overflow", detail);
            }});
    runMarker = std::make_unique<tamper::RunMarker>(stateDir);
  } catch (const std::runtime_error& error) {
    spdlog::error("{}", error.what());
    std::cerr << error.what() << "\n";
    return EXIT_CANTCREAT;
  }

  const SslLibrary ssl;
  upload::HttpsBatchSender sender(credentials->serverUrl, credentials->trust(),
                                  settings.duration("upload.timeout"), credentials->deviceId,
                                  credentials->deviceSecret);
  upload::UploaderOptions options;
  options.deviceId = credentials->deviceId;
  options.batchSize = positive(settings.integer("upload.batch_size"));
  options.idleInterval = settings.duration("upload.interval");
  options.backoffInitial = settings.duration("upload.backoff_initial");
  options.backoffMax = settings.duration("upload.backoff_max");
  upload::Uploader uploader(*outbox, sender, options);

  const auto historyDetail = history::parseHistoryDetail(settings.text("history.detail"));
  if (!historyDetail) {
    const auto message = "history.detail must be domain, url or url_and_title, not \"" +
                         settings.text("history.detail") + "\".";
    spdlog::error("{}", message);
    std::cerr << message << "\n";
    return EXIT_CONFIG;
  }
  recording::PhraseLibrary phrases;
  phrases.addStarterLibraries();
  const recording::PhraseMatcher phraseMatcher(phrases);

  const auto processes = platform::makeProcessLister();
  const auto clocks = platform::makeClocks();
  sources::SourceScheduler scheduler(*outbox);
  scheduler.add(std::make_unique<sources::HeartbeatSource>(settings.duration("heartbeat.interval"),
                                                           [&outbox] { return outbox->depth(); }));
  std::vector<std::filesystem::path> homes;
  for (const auto& home : platform::localUserHomes()) homes.push_back(home.home);
  const auto desktopApplications =
      platform::makeDesktopApplications(platform::desktopEntryDirectories(homes));
  // Threads of their own for what reads users' files: a hostile one stops only its source.
  sources::SourceScheduler appListScheduler(*outbox);
  appListScheduler.add(std::make_unique<sources::AppListSource>(
      settings.duration("apps.scan_interval"), *processes, *desktopApplications));
  const auto loginSessions = platform::makeLoginSessions();
  const auto foregroundWindow = platform::makeForegroundWindow();
  auto appUsageSource = std::make_unique<sources::AppUsageSource>(
      sources::AppUsageSettings{
          .merge = {.sampleInterval = std::max(settings.duration("apps.sample_interval"),
                                               std::chrono::milliseconds(1000)),
                    .idleThreshold = settings.duration("apps.idle_threshold"),
                    .longestInterval = std::max(settings.duration("apps.longest_interval"),
                                                std::chrono::milliseconds(60000))},
          .recordTitles = settings.flag("apps.record_titles"),
          .modesFile = stateDir + "/app_usage_modes.json"},
      *loginSessions, *foregroundWindow, phraseMatcher, [] { return common::nowUtc(); });
  auto& appUsage = *appUsageSource;
  // Its own thread: an X server that stops answering stalls app usage, not the other sources.
  sources::SourceScheduler desktopScheduler(*outbox);
  desktopScheduler.add(std::move(appUsageSource));
  scheduler.add(std::make_unique<sources::SessionSource>(
      std::max(settings.duration("sessions.poll_interval"), std::chrono::milliseconds(1000)),
      *loginSessions));
  scheduler.add(std::make_unique<tamper::TamperWatch>(
      tamper::TamperWatchOptions{
          .hostsFile = settings.text("tamper.hosts_file"),
          .interval =
              std::max(settings.duration("tamper.check_interval"), std::chrono::milliseconds(100)),
          .clockJumpThreshold = settings.duration("tamper.clock_jump_threshold")},
      stateDir, *runMarker, *clocks));
  sources::SourceScheduler historyScheduler(*outbox);
  try {
    historyScheduler.add(std::make_unique<history::HistorySource>(
        history::HistorySourceOptions{.interval = settings.duration("history.scan_interval"),
                                      .detail = *historyDetail,
                                      .statePath = history::historyStatePath(stateDir)},
        [] { return platform::findBrowserProfiles(platform::localUserHomes()); }, phraseMatcher));
  } catch (const outbox::SqliteError& error) {
    spdlog::error("Browser history is not recorded: {} cannot be opened ({}).",
                  history::historyStatePath(stateDir), error.what());
  }
  if (const auto stuckFor = settings.duration("recording.test_stuck_for"); stuckFor.count() > 0) {
    historyScheduler.add(std::make_unique<tamper::SlowTestSource>(stuckFor));
  }

  // The demo and the tests run the filter on a high port: they leave the machine's resolver
  // and browsers alone.
  const bool systemFilter = settings.flag("dns.enabled") && settings.integer("dns.port") == 53;
  const auto checkInterval =
      std::max(settings.duration("protection.check_interval"), std::chrono::milliseconds(1000));
  const auto resolverServices = platform::makeResolverServices();
  protection::ResolverTakeover* resolver = nullptr;  // polled by the scheduler, which owns it
  if (systemFilter && settings.flag("dns.take_over_resolver")) {
    auto takeover = std::make_unique<protection::ResolverTakeover>(
        "/", stateDir, settings.text("dns.listen_address"), *resolverServices, checkInterval);
    try {
      takeover->remember();
      resolver = takeover.get();
      scheduler.add(std::move(takeover));
    } catch (const protection::ResolverError& error) {
      spdlog::error("{}", error.what());
    }
  }

  const bool lockOutbound = systemFilter && settings.flag("protection.outbound_lockdown");
  std::string lockdownRuleset;
  std::optional<dns::DnsProxyOptions> dnsOptions;
  auto safeSearch = dns::SafeSearchLevel::Strict;
  std::vector<selftest::TestName> selfTestNames;
  if (settings.flag("dns.enabled")) {
    try {
      dnsOptions =
          dns::dnsProxyOptions(settings, resolver != nullptr ? resolver->previousResolvConf()
                                                             : readSmallFile(kResolvConf));
      safeSearch = dns::safeSearchLevel(settings);
      auto testNames = selftest::parseTestNames(settings.text("selftest.test_names"));
      if (!testNames) {
        throw dns::DnsError("The setting selftest.test_names is \"" +
                            settings.text("selftest.test_names") +
                            "\", but it should be category=domain pairs separated by commas, "
                            "such as gambling=casino.example.");
      }
      selfTestNames = std::move(*testNames);
      if (lockOutbound) {
        lockdownRuleset = protection::lockdownRuleset(
            protection::blockedResolvers(settings.text("protection.blocked_resolvers")));
        dnsOptions->upstreamMark = protection::kUpstreamSocketMark;
      }
    } catch (const std::runtime_error& error) {  // dns::DnsError, protection::LockdownError
      if (resolver != nullptr) resolver->restore();
      spdlog::error("{}", error.what());
      std::cerr << error.what() << "\n";
      return EXIT_CONFIG;
    }
  }

  spdlog::info(
      "clubsafe-agent {} started as device {}: recording, and uploading to {}; {} events "
      "are waiting.",
      CLUBSAFE_VERSION, credentials->deviceId, credentials->serverUrl, outbox->depth());
  platform::blockTerminationSignals();
  const dns::SystemLocalClock clock;
  // The collector's own name always resolves, so a laptop can always fetch a new policy.
  dns::ProfileFilter profileFilter(clock, client::parseServerUrl(credentials->serverUrl).getHost());
  policy::ActiveProfile activeProfile(profileFilter);
  notices::WorkerPins workerPins;
  client::CollectorClient policyClient(credentials->serverUrl, credentials->trust(),
                                       settings.duration("upload.timeout"));
  policy::PolicyKeeper policyKeeper(
      {.stateDir = stateDir,
       .refreshInterval =
           std::max(settings.duration("policy.refresh_interval"), std::chrono::milliseconds(1000)),
       .backoffInitial = settings.duration("upload.backoff_initial"),
       .backoffMax = settings.duration("upload.backoff_max"),
       .builtIn = dns::builtInPolicy(
           dns::commaSeparated(settings.text("filter.blocked_categories")), safeSearch),
       .onPolicy = [&workerPins](
                       const common::Policy& inForce) { workerPins.setWorkers(inForce.workers); }},
      activeProfile, &policyClient, credentials->deviceId + "." + credentials->deviceSecret);
  std::optional<dns::IndexFileWatcher> indexFile;
  if (const auto path = settings.text("filter.index_file"); !path.empty()) {
    indexFile.emplace(
        path, [&policyKeeper](auto index) { policyKeeper.setBuiltInIndex(std::move(index)); });
  }
  if (dnsOptions) {
    // What is cached is in force before the DNS filter answers its first question.
    (void)policyKeeper.start();
    if (indexFile) (void)indexFile->check();
  }
  const dns::ListFilter canaries(dns::canaryRules());
  const dns::FilterChain filter({&canaries, &profileFilter});
  const notices::IndexInForce indexInForce = [&profileFilter] { return profileFilter.index(); };
  // Names it blocks are told to the person at the laptop (N3); it answers as `filter` does.
  notices::BlockNotifier blockNotifier(filter, indexInForce);
  notices::Overrides overrides(stateDir, profileFilter);
  // One allowance per account for reports, wherever they come from (issue 14).
  notices::ReportLimiter reports(*outbox, {});
  notices::NoticeService noticeService(
      {.acknowledgeTimeout = settings.duration("notices.acknowledge_timeout"),
       .staffSignInLimit = settings.duration("notices.staff_sign_in_limit"),
       .withoutLogind = !settings.text("notices.allowed_users").empty()},
      *outbox, profileFilter, activeProfile, *loginSessions, workerPins, overrides,
      [&filter, &indexInForce](std::string_view domain) {
        const auto why = notices::whyBlocked(filter, indexInForce, domain);
        return why ? why->category : std::string();
      });
  noticeService.setReportLimiter(&reports);
  // Before any other thread appends: from here every event names the member signed in.
  outbox->setStamp(noticeService.stamp());
  // A safeguarding alert or a worry report goes to the collector at once (issue 12, item 4).
  outbox->setOnCritical([&uploader] { uploader.sendSoon(); });
  const bool noticesOn = settings.flag("notices.enabled");
  std::optional<notices::NoticeServer> noticeServer;
  if (noticesOn) {
    try {
      noticeServer.emplace(
          notices::NoticeServerOptions{
              .socketPath = settings.text("notices.socket_path"),
              .allowedUsers = dns::commaSeparated(settings.text("notices.allowed_users"))},
          noticeService, *loginSessions);
    } catch (const notices::NoticeSocketError& error) {
      spdlog::error("{}", error.what());
    }
  }
  sources::SourceScheduler noticeScheduler(*outbox);
  if (noticeServer) {
    noticeScheduler.add(std::make_unique<notices::NoticeTicker>(noticeService, blockNotifier));
  }
  // The watchdog is fed only while no source is stuck and every other thread makes progress.
  runtime::ProgressBoard progress([] { common::notifyServiceAlive(); });
  const auto stuckAfter = settings.duration("recording.stuck_after");
  scheduler.add(std::make_unique<tamper::StuckSourceWatch>(
      std::vector<const sources::SourceScheduler*>{&appListScheduler, &historyScheduler,
                                                   &desktopScheduler, &noticeScheduler},
      stuckAfter, std::chrono::seconds(10), [&progress] { progress.feedIfAllProgressing(); }));
  const auto socketOwners = platform::makeSocketOwners();
  std::optional<notices::BlockPageServer> blockPage;
  const auto blockPagePort = settings.integer("blockpage.port");
  if (settings.flag("blockpage.enabled") && (blockPagePort < 1 || blockPagePort > 65535)) {
    spdlog::error(
        "The setting blockpage.port is {}, but it should be a port from 1 to 65535; "
        "blocked sites open no block page.",
        blockPagePort);
  } else if (settings.flag("blockpage.enabled")) {
    try {
      blockPage.emplace(
          notices::BlockPageOptions{.address = settings.text("blockpage.address"),
                                    .port = static_cast<std::uint16_t>(blockPagePort)},
          filter, indexInForce, reports, *socketOwners);
    } catch (const notices::BlockPageError& error) {
      spdlog::error("{}", error.what());
    }
  }
  // Ends before the block page and the outbox do: the block page stops first, then what is
  // still folded is written.
  const BackgroundThread foldingReports([&] { reports.run(); },
                                        [&] {
                                          if (blockPage) blockPage->stop();
                                          reports.stop();
                                        });
  dns::DecisionRecorder decisions(
      *outbox, {.indexInForce = [&profileFilter] { return profileFilter.index(); },
                .clock = common::nowUtc,
                .flushInterval = std::max(settings.duration("dns.record_interval"),
                                          std::chrono::milliseconds(1000))});
  if (dnsOptions) {
    scheduler.add(std::make_unique<selftest::SelfTestSource>(
        // A second more than the filter allows upstream: the safe-search checks wait on it.
        selftest::FilterSelfTest(dnsOptions->listen, dnsOptions->timeout + std::chrono::seconds(1)),
        [&profileFilter, &blockNotifier, answer = dnsOptions->blockAnswer,
         addresses = dnsOptions->blockAddresses, names = std::move(selfTestNames)] {
          auto expected = selftest::expectationsInForce(profileFilter, answer, addresses, names);
          // Asked for now, blocked on purpose: nobody at the laptop is told of them.
          std::vector<std::string> testNames;
          for (const auto& testName : expected.testNames) testNames.push_back(testName.name);
          blockNotifier.hush(testNames, std::chrono::seconds(30));
          return expected;
        },
        std::max(settings.duration("selftest.interval"), std::chrono::milliseconds(1000))));
  }
  const dns::FilterDecision& answering =
      noticeServer ? static_cast<const dns::FilterDecision&>(blockNotifier) : filter;
  const auto dnsProxy =
      dnsOptions ? startDnsFilter(std::move(*dnsOptions), answering, decisions) : nullptr;
  // Declared after the filter, so it ends first: the filter stops, then its last decisions are
  // written (by then the system has its own resolvers back, see the end of this function).
  const BackgroundThread recordingDecisions([&] { decisions.run(); },
                                            [&] {
                                              if (dnsProxy) dnsProxy->stop();
                                              decisions.stop();
                                            });
  if (resolver != nullptr) {
    try {
      // Only once the filter answers; without it the system keeps its own resolvers.
      if (dnsProxy) {
        // The network's resolvers, followed at every check, unless dns.upstreams names others.
        resolver->followNetwork(
            [&dnsProxy](std::vector<dns::Endpoint> upstreams) {
              dnsProxy->setUpstreams(std::move(upstreams));
            },
            !settings.text("dns.upstreams").empty());
        resolver->takeOver();
      } else {
        resolver->restore();
      }
    } catch (const protection::ResolverError& error) {
      spdlog::error("{}", error.what());
    }
  }
  const auto packetFilter = lockOutbound ? platform::makePacketFilter() : nullptr;
  protection::OutboundLockdown* lockdown = nullptr;  // polled by the scheduler, which owns it
  if (dnsProxy && packetFilter) {
    lockdown =
        startOutboundLockdown(*packetFilter, std::move(lockdownRuleset), checkInterval, scheduler);
  }
  std::optional<protection::BrowserPolicyWatcher> policyWatcher;  // puts them back at once
  if (systemFilter && settings.flag("browser.managed_policies")) {
    auto policies = std::make_unique<protection::BrowserPolicyGuard>(
        platform::browserPolicyFiles("/"), safeSearch, checkInterval);
    (void)policies->install();
    try {
      policyWatcher.emplace(*policies, scheduler);
    } catch (const platform::FileError& error) {
      spdlog::warn("{} Browser policies are checked every {} seconds instead.", error.what(),
                   std::chrono::duration_cast<std::chrono::seconds>(checkInterval).count());
    }
    scheduler.add(std::move(policies));
  }
  // A thread may be silent for as long as its longest single operation may take.
  const auto networkLimit = std::max(stuckAfter, 4 * settings.duration("upload.timeout"));
  progress.watch("uploader", uploader.heartbeat(), networkLimit);
  progress.watch("report folding", reports.heartbeat(), stuckAfter);
  progress.watch("DNS decision recorder", decisions.heartbeat(), stuckAfter);
  if (dnsProxy) {
    progress.watch("DNS filter", dnsProxy->heartbeat(),
                   std::max(stuckAfter, 4 * settings.duration("dns.timeout")));
    progress.watch("policy fetch", policyKeeper.heartbeat(), networkLimit);
    if (indexFile) progress.watch("index file watch", indexFile->heartbeat(), stuckAfter);
  }
  if (policyWatcher) {
    progress.watch("browser policy watch", policyWatcher->heartbeat(),
                   stuckAfter + protection::BrowserPolicyWatcher::kRewatch);
  }
  if (noticeServer) progress.watch("notice socket", noticeServer->heartbeat(), stuckAfter);
  {
    const BackgroundThread recording([&] { scheduler.run(); }, [&] { scheduler.stop(); });
    const BackgroundThread recordingDesktop([&] { desktopScheduler.run(); },
                                            [&] { desktopScheduler.stop(); });
    const BackgroundThread listingApps([&] { appListScheduler.run(); },
                                       [&] { appListScheduler.stop(); });
    const BackgroundThread readingHistory([&] { historyScheduler.run(); },
                                          [&] { historyScheduler.stop(); });
    const BackgroundThread uploading([&] { uploader.run(); }, [&] { uploader.stop(); });
    const BackgroundThread fetchingPolicy(
        [&] {
          if (dnsProxy) policyKeeper.run();
        },
        [&] { policyKeeper.stop(); });
    const BackgroundThread reloading(
        [&] {
          if (dnsProxy && indexFile) {
            indexFile->run(std::max(settings.duration("filter.reload_interval"),
                                    std::chrono::milliseconds(1000)));
          }
        },
        [&] {
          if (indexFile) indexFile->stop();
        });
    const BackgroundThread watchingPolicies(
        [&] {
          if (policyWatcher) policyWatcher->run();
        },
        [&] {
          if (policyWatcher) policyWatcher->stop();
        });
    const BackgroundThread servingNotices(
        [&] {
          if (noticeServer) noticeServer->run();
        },
        [&] {
          if (noticeServer) noticeServer->stop();
        });
    const BackgroundThread tellingNotices([&] { noticeScheduler.run(); },
                                          [&] { noticeScheduler.stop(); });
    common::notifyServiceReady();
    waitForTerminationRequest();
    common::notifyServiceStopping();
    spdlog::info("Stopping; events not yet sent stay in {} for the next start.", outbox->path());
  }
  // The recording threads have stopped: the intervals still open end now.
  for (auto& event : appUsage.finish()) (void)outbox->append(event);
  // The scheduler has stopped polling them; the filter still answers until the system has its
  // own resolvers back, which the lock-down would refuse.
  if (lockdown != nullptr) lockdown->remove();
  if (resolver != nullptr) resolver->restore();
  return EXIT_OK;
}

}  // namespace clubsafe::agent
