// clubsafe-index: compiles category lists into a domain index file and inspects one.
// Deliberately free of Poco and spdlog, so its peak memory while compiling is the index's own.
#include "common/domain_index/domain_index.hpp"
#include "common/domain_index/domain_index_builder.hpp"
#include "common/domain_index/list_import.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace di = clubsafe::common::domain_index;

constexpr std::string_view kUsage =
    "Usage:\n"
    "  clubsafe-index compile --out FILE [--format plain|hosts|adblock] [--category NAME=FILE]...\n"
    "                         [--ut1 DIR] [--allow FILE]... [--version N]\n"
    "      --format applies to the --category and --allow files after it (default plain);\n"
    "      --ut1 adds every category of a UT1 folder (<category>/domains or\n"
    "      <category>.domains.gz). Files may be gzip-compressed.\n"
    "  clubsafe-index lookup FILE NAME...\n"
    "  clubsafe-index info FILE\n";

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Peak resident memory of this process so far, from the kernel; 0 if unknown.
std::uint64_t peakResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6));
  }
  return 0;
}

std::string utcTime(std::uint64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  if (std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0) return "unknown";
  return text;
}

int compile(const std::vector<std::string_view>& args) {
  const auto started = std::chrono::steady_clock::now();
  di::DomainIndexBuilder builder;
  di::BuildOptions options;
  std::string out;
  auto format = di::ListFormat::Plain;
  std::vector<di::ImportReport> reports;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto option = args[i];
    if (i + 1 >= args.size()) throw UsageError(std::string(option) + " needs a value.");
    const std::string value(args[++i]);
    if (option == "--out") {
      out = value;
    } else if (option == "--format") {
      const auto parsed = di::parseListFormat(value);
      if (!parsed)
        throw UsageError("Unknown --format \"" + value + "\": use plain, hosts or adblock.");
      format = *parsed;
    } else if (option == "--category") {
      const auto equals = value.find('=');
      if (equals == std::string::npos) throw UsageError("--category wants NAME=FILE, not " + value);
      const auto category = builder.addCategory(value.substr(0, equals));
      reports.push_back(
          di::importListFile(value.substr(equals + 1), format, builder.categorySink(category)));
    } else if (option == "--allow") {
      reports.push_back(di::importListFile(value, format, builder.allowSink(), true));
    } else if (option == "--ut1") {
      for (const auto& list : di::findUt1Lists(value)) {
        const auto category = builder.addCategory(list.category);
        reports.push_back(
            di::importListFile(list.file, di::ListFormat::Plain, builder.categorySink(category)));
      }
    } else if (option == "--version") {
      const auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), options.indexVersion);
      if (error != std::errc() || end != value.data() + value.size() || options.indexVersion == 0) {
        throw UsageError("--version wants a whole number above 0, not " + value);
      }
    } else {
      throw UsageError("Unknown option " + std::string(option) + ".");
    }
  }
  if (out.empty()) throw UsageError("compile needs --out FILE.");
  if (reports.empty()) throw UsageError("compile needs at least one --category, --ut1 or --allow.");

  std::uint64_t bad = 0;
  for (const auto& report : reports) {
    report.print(std::cout);
    bad += report.badCount();
  }
  const auto summary = builder.write(out, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "Wrote %s: version %llu, %llu names (%llu allow), %zu categories, %llu category sets.\n"
      "  %llu entries read, %llu duplicates, %llu bad lines skipped.\n"
      "  %llu bytes, %.2f bytes per name; %.2f s, peak memory %llu KiB.\n",
      out.c_str(), static_cast<unsigned long long>(summary.indexVersion),
      static_cast<unsigned long long>(summary.names),
      static_cast<unsigned long long>(summary.allowNames), builder.categories().size(),
      static_cast<unsigned long long>(summary.categorySets),
      static_cast<unsigned long long>(summary.entries),
      static_cast<unsigned long long>(summary.duplicates), static_cast<unsigned long long>(bad),
      static_cast<unsigned long long>(summary.fileBytes), summary.bytesPerName(), seconds,
      static_cast<unsigned long long>(peakResidentKiB()));
  return 0;
}

int lookup(const std::vector<std::string_view>& args) {
  if (args.size() < 2) throw UsageError("lookup needs FILE and at least one NAME.");
  const auto index = di::DomainIndex::open(std::string(args[0]));
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto name = di::NormalisedName::from(args[i]);
    const auto match = index->lookup(name);
    std::cout << args[i] << ": ";
    if (!name.ok()) {
      std::cout << "not listed (" << di::describe(name.problem()) << ")\n";
    } else if (match.blocked()) {
      std::cout << index->describe(match.categories) << '\n';
    } else if (match.allowed) {
      std::cout << "allowed\n";
    } else {
      std::cout << "not listed\n";
    }
  }
  return 0;
}

int info(const std::vector<std::string_view>& args) {
  if (args.size() != 1) throw UsageError("info needs exactly one FILE.");
  const auto started = std::chrono::steady_clock::now();
  const auto index = di::DomainIndex::open(std::string(args[0]));
  const double loadMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::cout << args[0] << "\n  format version " << index->formatVersion() << ", index version "
            << index->indexVersion() << ", built " << utcTime(index->buildTime()) << "\n  "
            << index->entryCount() << " names, " << index->setCount() << " category sets, "
            << index->fileSize() << " bytes (";
  std::printf("%.2f bytes per name", index->entryCount() == 0
                                         ? 0.0
                                         : static_cast<double>(index->fileSize()) /
                                               static_cast<double>(index->entryCount()));
  std::cout << std::flush;
  std::printf("), loaded and verified in %.1f ms\n", loadMs);
  std::cout << "  " << index->categories().size() << " categories:";
  for (const auto& category : index->categories()) std::cout << ' ' << category;
  std::cout << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    if (args.empty()) throw UsageError("Say what to do.");
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (args[0] == "compile") return compile(rest);
    if (args[0] == "lookup") return lookup(rest);
    if (args[0] == "info") return info(rest);
    if (args[0] == "--help" || args[0] == "help") {
      std::cout << kUsage;
      return 0;
    }
    throw UsageError("Unknown command " + std::string(args[0]) + ".");
  } catch (const UsageError& error) {
    std::cerr << error.what() << '\n' << kUsage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "clubsafe-index: " << error.what() << '\n';
    return 1;
  }
}
