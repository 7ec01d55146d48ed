// The block page server as the agent runs it, for tests/browser/block_page.test.mjs: the real
// profile filter on an index compiled from UT1's real gambling list, the real outbox and the
// real /proc socket owners; only the address is 127.0.0.1 and the port a free one.
//
//   block_page_probe serve STATE_DIR UT1_DIR   prints "port N", serves until stdin closes
//   block_page_probe events STATE_DIR          prints the outbox's events, one JSON a line
#include "agent/dns/profile_filter.hpp"
#include "agent/notices/block_page_server.hpp"
#include "agent/outbox/outbox.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"

#include <iostream>
#include <string>

namespace {

namespace di = clubsafe::common::domain_index;
namespace dns = clubsafe::agent::dns;
using clubsafe::agent::outbox::Outbox;

int serve(const std::string& stateDir, const std::string& ut1) {
  di::DomainIndexBuilder builder;
  (void)di::importListFile(ut1 + "/gambling.domains.gz", di::ListFormat::Plain,
                           builder.categorySink(builder.addCategory("gambling")));
  (void)builder.write(stateDir + "/domains.index");
  const dns::SystemLocalClock clock;
  dns::ProfileFilter filter(clock, "");
  filter.install(
      dns::CompiledPolicy::compile(dns::builtInPolicy({"gambling"}, dns::SafeSearchLevel::Strict),
                                   di::DomainIndex::open(stateDir + "/domains.index")),
      dns::kBuiltInProfileId);
  Outbox outbox(clubsafe::agent::outbox::outboxPath(stateDir), Outbox::Access::ReadWrite);
  const auto owners = clubsafe::agent::platform::makeSocketOwners();
  clubsafe::agent::notices::BlockPageServer server(
      {.address = "127.0.0.1", .port = 0}, filter, [&filter] { return filter.index(); }, outbox,
      *owners);
  std::cout << "port " << server.port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}

int events(const std::string& stateDir) {
  Outbox outbox(clubsafe::agent::outbox::outboxPath(stateDir), Outbox::Access::ReadOnly);
  for (const auto& event : outbox.nextBatch(1000)) std::cout << event.encoded << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 2 ? argv[1] : "";
  try {
    if (command == "serve" && argc == 4) return serve(argv[2], argv[3]);
    if (command == "events" && argc == 3) return events(argv[2]);
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: block_page_probe serve STATE_DIR UT1_DIR | events STATE_DIR\n";
  return 2;
}
