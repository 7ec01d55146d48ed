#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct _cairo;  // cairo_t, kept out of this header

namespace clubsafe::collector {

// A column of a PdfDocument table: its heading and its share of the page's width.
struct PdfColumn {
  std::string heading;
  double weight = 1.0;
};

// A font, colour and line limit, defined in pdf_document.cpp.
struct PdfTextStyle;

struct PdfTable {
  std::vector<PdfColumn> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
};

// A4 pages of flowing text drawn with cairo and Pango (docs/DEPENDENCIES.md): any UTF-8 text in
// any script, shaped and wrapped by Pango in DejaVu Sans (other fonts fill in for scripts it
// lacks), and never read as markup, so a name typed on a laptop is only ever text. Tables break
// between rows and repeat their headings on each page; every page has a footer with its number.
class PdfDocument {
 public:
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  void title(std::string_view text);
  void heading(std::string_view text);
  void paragraph(std::string_view text);
  // A quieter line, e.g. "None in this period."
  void note(std::string_view text);
  void table(const PdfTable& table);

  // Draws `content` into a new document and returns the PDF's bytes. `content` runs twice: once
  // to count the pages ("Page 2 of 5"), once to draw them. `footer` is on every page. Throws
  // std::runtime_error when cairo cannot make the PDF.
  [[nodiscard]] static std::string render(std::string_view documentTitle, std::string footer,
                                          const std::function<void(PdfDocument&)>& content);

 private:
  PdfDocument(_cairo* cairo, std::string footer, int pageCount);

  // Draws `text` at the cursor in `style`, `width` points wide from `x`; returns its height.
  double drawText(std::string_view text, const PdfTextStyle& style, double x, double width,
                  bool measureOnly = false);
  void ensureRoom(double height);
  void newPage();
  void drawFooter();
  [[nodiscard]] double tableRowHeight(const std::vector<std::string>& cells,
                                      const PdfTextStyle& style, const std::vector<double>& widths);
  void drawTableRow(const std::vector<std::string>& cells, const PdfTextStyle& style,
                    const std::vector<double>& widths, double height, bool shaded);

  _cairo* cairo_;
  std::string footer_;
  int pageCount_;  // 0 while counting
  int page_ = 1;
  double y_;
};

}  // namespace clubsafe::collector
