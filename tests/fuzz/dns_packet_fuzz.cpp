// libFuzzer target: any bytes that reach the DNS filter's port (or come back from an upstream)
// must be answered, refused or dropped, never crash, hang or read out of bounds; and every
// answer the filter builds must read back as a well-formed answer to the question.
#include "agent/dns/dns_proxy.hpp"
#include "agent/dns/list_filter.hpp"
#include "agent/dns/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

using namespace clubsafe::agent::dns;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

// The whole decision path without upstreams (forwarding fails at once with SERVFAIL).
DnsProxy& proxy() {
  static const ListFilter filter([] {
    auto rules = canaryRules();
    rules.push_back({"blocked.test", Verdict::Action::Block, 1, {}});
    return rules;
  }());
  static DnsProxy instance(
      [] {
        DnsProxyOptions options;
        options.listen = parseEndpoint("127.0.0.1", 0).value();
        options.workers = 1;
        return options;
      }(),
      filter);
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  static auto workspace = std::make_unique<Workspace>();
  static Buffer out;

  if (proxy().answer(input, true, *workspace, out)) check(out.size() >= kHeaderSize);

  // The input as an upstream's answer: inspected for the cache and spliced into a rewrite.
  AnswerFacts facts;
  (void)inspectAnswer(input, 86400, facts);
  Query query;
  const auto status = parseQuery(input, query);
  if (status != QueryStatus::Ok) return 0;
  Name target;
  check(target.assign("forcesafesearch.google.com"));
  if (buildRewriteAnswer(query, target, 60, input, out)) {
    check(answersQuery(out, query) && inspectAnswer(out, 86400, facts));
  }
  buildBlockAnswer(query, BlockAddresses{}, 60, out);
  check(answersQuery(out, query) && inspectAnswer(out, 86400, facts));
  buildRcodeAnswer(query, Rcode::NxDomain, out);
  check(answersQuery(out, query));
  truncateTo(query, kMaxUdpWithoutEdns, out);
  check(out.size() <= kMaxUdpWithoutEdns);
  return 0;
}
