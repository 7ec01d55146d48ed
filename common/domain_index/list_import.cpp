#include "common/domain_index/list_import.hpp"

#include "common/domain_index/domain_name.hpp"

#include <ostream>

namespace clubsafe::common::domain_index {

std::optional<ListFormat> parseListFormat(std::string_view text) {
  if (text == "plain") return ListFormat::Plain;
  if (text == "hosts") return ListFormat::Hosts;
  if (text == "adblock") return ListFormat::AdBlock;
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string_view stripComment(std::string_view line, char marker) {
  return trim(line.substr(0, line.find(marker)));
}

std::uint64_t ImportReport::badCount() const {
  std::uint64_t total = 0;
  for (const auto& [reason, problem] : bad) total += problem.count;
  return total;
}

void ImportReport::print(std::ostream& out) const {
  out << source << ": " << lines << " lines, " << names << " names";
  if (allowNames > 0) out << " (" << allowNames << " allow entries)";
  out << ", " << ignored << " comments or blank, " << unsupported << " unsupported rules, "
      << badCount() << " bad lines\n";
  for (const auto& [reason, problem] : bad) {
    out << "  " << problem.count << " x " << reason << " (line";
    if (problem.exampleLines.size() > 1) out << 's';
    for (std::size_t i = 0; i < problem.exampleLines.size(); ++i) {
      out << (i == 0 ? " " : ", ") << problem.exampleLines[i];
    }
    if (problem.count > problem.exampleLines.size()) out << ", ...";
    out << ")\n";
  }
}

void LineContext::name(std::string_view raw, bool allow) {
  const auto name = NormalisedName::from(raw);
  if (!name.ok()) {
    bad(describe(name.problem()));
    return;
  }
  const bool isAllow = allow || allowAll_;
  sink_.add(name.view(), isAllow);
  ++report_.names;
  if (isAllow) ++report_.allowNames;
}

void LineContext::bad(std::string_view reason) {
  auto& problem = report_.bad[std::string(reason)];
  ++problem.count;
  if (problem.exampleLines.size() < ImportReport::kExampleLines) {
    problem.exampleLines.push_back(line_);
  }
}

ImportReport importList(LineReader& reader, ListFormat format, EntrySink& sink, bool allowAll,
                        std::string source) {
  const auto parse = format == ListFormat::Hosts     ? parseHostsLine
                     : format == ListFormat::AdBlock ? parseAdBlockLine
                                                     : parsePlainLine;
  ImportReport report;
  report.source = std::move(source);
  LineReader::Line line;
  while (reader.next(line)) {
    ++report.lines;
    LineContext context(sink, report, allowAll, line.number);
    if (line.tooLong) {
      context.bad("line longer than " + std::to_string(LineReader::kMaxLineLength) + " bytes");
    } else {
      parse(line.text, context);
    }
  }
  return report;
}

ImportReport importListFile(const std::filesystem::path& path, ListFormat format, EntrySink& sink,
                            bool allowAll) {
  LineReader reader(path);
  return importList(reader, format, sink, allowAll, path.string());
}

}  // namespace clubsafe::common::domain_index
