#pragma once

// A PDF's text as pdftotext (poppler-utils) reads it, for the report tests.
#include "tests/support/temp_dir.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace clubsafe::collector::pdf_text {

inline constexpr const char* kPdfToText = "/usr/bin/pdftotext";

inline bool havePdfToText() {
  return std::ifstream(kPdfToText).good();
}

// The text of `pdf`, its layout kept, written through a file in `dir`.
inline std::string pdfText(const testing::TempDir& dir, const std::string& pdf) {
  const auto pdfFile = dir.file("report.pdf");
  std::ofstream(pdfFile, std::ios::binary) << pdf;
  const std::string command =
      std::string(kPdfToText) + " -enc UTF-8 -layout '" + pdfFile + "' - 2>&1";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  std::string text;
  char buffer[4096];
  while (pipe && fgets(buffer, sizeof buffer, pipe.get())) text += buffer;
  return text;
}

}  // namespace clubsafe::collector::pdf_text
