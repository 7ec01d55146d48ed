#include "tests/integration/dns/dns_tools.hpp"

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace clubsafe::testing {
namespace {

// A TXT record set of six 250-byte strings: about 1.5 kB, more than fits a 1232-byte UDP answer.
std::vector<std::string> bigTxtRecords() {
  std::vector<std::string> records;
  for (char c = 'a'; c < 'g'; ++c)
    records.push_back("--txt-record=big.test," + std::string(250, c));
  return records;
}

}  // namespace

bool haveDnsTools() {
  return std::filesystem::exists(kDnsmasq) && std::filesystem::exists(kDig);
}

Dnsmasq::Dnsmasq(const TempDir& dir, const std::vector<std::string>& extraArguments)
    : port_(freeLoopbackPort()) {
  std::vector<std::string> arguments{
      "--no-daemon",
      "--conf-file=/dev/null",
      "--port=" + std::to_string(port_),
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--no-resolv",
      "--no-hosts",
      "--pid-file=",
      "--local-ttl=300",
      "--host-record=allowed.test,192.0.2.10,2001:db8::10",
      "--host-record=www.allowed.test,192.0.2.11",
      "--host-record=www.google.com,192.0.2.66",  // what an unfiltered lookup would get
      "--host-record=rebind.test,127.0.0.2",      // a web page's name rebound to the block page
      "--address=/gone.test/"};
  for (const auto& record : kSafeSearchHostRecords) {
    arguments.push_back(std::string("--host-record=") + record.name + "," + record.address);
  }
  const auto txt = bigTxtRecords();
  arguments.insert(arguments.end(), txt.begin(), txt.end());
  arguments.insert(arguments.end(), extraArguments.begin(), extraArguments.end());
  process_ = std::make_unique<ChildProcess>(kDnsmasq, arguments, dir.file("dnsmasq.log"));
  if (!waitFor([&] { return process_->output().find("started") != std::string::npos; }, 10s)) {
    throw std::runtime_error("dnsmasq did not start: " + process_->output());
  }
}

std::string Dig::status() const {
  const auto at = output.find("status: ");
  if (at == std::string::npos) return "no answer";
  const auto start = at + 8;
  return output.substr(start, output.find(',', start) - start);
}

std::vector<std::string> Dig::answers() const {
  std::vector<std::string> lines;
  std::istringstream in(output);
  bool inAnswer = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(";; ANSWER SECTION")) {
      inAnswer = true;
    } else if (inAnswer && (line.empty() || line.starts_with(";;"))) {
      break;
    } else if (inAnswer) {
      std::istringstream words(line);
      std::string joined;
      for (std::string word; words >> word;) joined += (joined.empty() ? "" : " ") + word;
      lines.push_back(joined);
    }
  }
  return lines;
}

Dig dig(std::uint16_t port, const std::string& name, const std::string& type,
        std::vector<std::string> options) {
  std::vector<std::string> arguments{"@127.0.0.1", "-p",      std::to_string(port), name, type,
                                     "+time=5",    "+tries=1"};
  arguments.insert(arguments.end(), options.begin(), options.end());
  return {runCommand(kDig, arguments, 20s).output};
}

std::string firstAddress(std::uint16_t port, const std::string& name) {
  const auto answer = dig(port, name, "A");
  const auto records = answer.answers();
  if (records.empty()) return answer.status();
  return records.front().substr(records.front().rfind(' ') + 1);
}

}  // namespace clubsafe::testing
