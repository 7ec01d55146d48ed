// The agent's DNS path on its own, for dnsperf (bench/dns_compare.sh, docs/PERFORMANCE.md): the
// same canaries, profile filter on a compiled index, decision recorder writing into a real
// outbox, and proxy as `clubsafe-agent run`, without enrolment or a collector.
//
//   dns_filter_server PORT UPSTREAM INDEX_FILE CATEGORIES STATE_DIR
//
// CATEGORIES: the blocked category names separated by commas. Runs until SIGINT or SIGTERM.

#include "agent/dns/decision_recorder.hpp"
#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/dns_settings.hpp"
#include "agent/dns/index_filter.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/profile_filter.hpp"
#include "agent/outbox/outbox.hpp"

#include <csignal>
#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  namespace dns = clubsafe::agent::dns;
  namespace di = clubsafe::common::domain_index;
  if (argc != 6) {
    std::cerr << "usage: dns_filter_server PORT UPSTREAM INDEX_FILE CATEGORIES STATE_DIR\n";
    return 64;
  }
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);  // before any thread starts

  const auto port = static_cast<std::uint16_t>(std::stoi(argv[1]));
  const auto upstream = dns::parseEndpoint(argv[2], 53);
  if (!upstream) {
    std::cerr << "not an address: " << argv[2] << "\n";
    return 64;
  }
  const auto index = di::DomainIndex::open(argv[3]);
  const dns::ListFilter canaries(dns::canaryRules());
  const dns::SystemLocalClock clock;
  dns::ProfileFilter profile(clock, "");
  profile.install(dns::CompiledPolicy::compile(
                      dns::builtInPolicy(dns::commaSeparated(argv[4]), dns::SafeSearchLevel::Strict),
                      index),
                  dns::kBuiltInProfileId);
  const dns::FilterChain filter({&canaries, &profile});

  clubsafe::agent::outbox::Outbox outbox(std::string(argv[5]) + "/outbox.db",
                                         clubsafe::agent::outbox::Outbox::Access::ReadWrite);
  dns::DnsProxyOptions options;
  options.listen = dns::parseEndpoint("127.0.0.1", port).value();
  options.upstreams = {*upstream};
  dns::DecisionRecorderOptions recorderOptions;
  recorderOptions.indexInForce = [&profile] { return profile.index(); };
  dns::DecisionRecorder decisions(outbox, std::move(recorderOptions));
  std::thread flusher([&decisions] { decisions.run(); });
  dns::DnsProxy proxy(std::move(options), filter, &decisions);
  std::cout << "listening on 127.0.0.1:" << proxy.port() << std::endl;

  int signal = 0;
  sigwait(&stopSignals, &signal);
  proxy.stop();
  decisions.stop();
  flusher.join();
  std::cout << "stopped; " << outbox.depth() << " dns_decision events in the outbox" << std::endl;
  return 0;
}
