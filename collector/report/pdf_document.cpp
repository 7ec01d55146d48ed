#include "collector/report/pdf_document.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <stdexcept>

namespace clubsafe::collector {
namespace {

// A4 in points, with margins that leave room for a printer's edge and a hole punch.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50.0;
constexpr double kFooterHeight = 24.0;
constexpr double kBottom = kPageHeight - kMargin - kFooterHeight;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kCellPadding = 3.0;
// A cell longer than this is cut with an ellipsis, so every row fits on one page.
constexpr int kMaxCellLines = 14;

struct Colour {
  double red, green, blue;
};
constexpr Colour kInk{0.10, 0.10, 0.10};
constexpr Colour kMuted{0.35, 0.35, 0.35};
constexpr Colour kRule{0.70, 0.70, 0.70};
constexpr Colour kHeadingFill{0.88, 0.90, 0.93};
constexpr Colour kShade{0.96, 0.96, 0.96};

void setColour(cairo_t* cairo, const Colour& colour) {
  cairo_set_source_rgb(cairo, colour.red, colour.green, colour.blue);
}

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Cairo = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Layout = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;
using FontDescription =
    std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)>;

void check(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("Could not make the PDF (") + what +
                             "): " + cairo_status_to_string(status));
  }
}

// A layout for `cairo` at 72 units an inch, so a font's size is in the PDF's points (Pango's
// default, 96, would draw 9 points as 12).
Layout newLayout(cairo_t* cairo) {
  Layout layout(pango_cairo_create_layout(cairo), g_object_unref);
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72.0);
  pango_layout_context_changed(layout.get());
  return layout;
}

// Draws the whole document on a fresh PDF surface, its bytes appended to `bytes`.
void drawDocument(std::string_view documentTitle, const std::function<void(cairo_t*)>& draw,
                  std::string& bytes) {
  Surface surface(cairo_pdf_surface_create_for_stream(appendTo, &bytes, kPageWidth, kPageHeight),
                  cairo_surface_destroy);
  check(cairo_surface_status(surface.get()), "surface");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 std::string(documentTitle).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "clubsafe-collector");
  Cairo cairo(cairo_create(surface.get()), cairo_destroy);
  draw(cairo.get());
  check(cairo_status(cairo.get()), "drawing");
  cairo.reset();
  cairo_surface_finish(surface.get());
  check(cairo_surface_status(surface.get()), "finishing");
}

}  // namespace

struct PdfTextStyle {
  const char* font;  // a Pango font description
  Colour colour;
  int maxLines = 0;  // 0: no limit
};

namespace {

const PdfTextStyle kTitle{"DejaVu Sans Bold 16", kInk};
const PdfTextStyle kHeading{"DejaVu Sans Bold 12", kInk};
const PdfTextStyle kBody{"DejaVu Sans 9.5", kInk};
const PdfTextStyle kNote{"DejaVu Sans Oblique 9", kMuted};
const PdfTextStyle kCell{"DejaVu Sans 8.5", kInk, kMaxCellLines};
const PdfTextStyle kHeadingCell{"DejaVu Sans Bold 8.5", kInk, 3};
const PdfTextStyle kFooter{"DejaVu Sans 8", kMuted};

}  // namespace

std::string PdfDocument::render(std::string_view documentTitle, std::string footer,
                                const std::function<void(PdfDocument&)>& content) {
  // The first pass only counts pages; its bytes are dropped.
  int pages = 0;
  std::string counted;
  drawDocument(
      documentTitle,
      [&](cairo_t* cairo) {
        PdfDocument document(cairo, footer, 0);
        content(document);
        pages = document.page_;
      },
      counted);
  std::string bytes;
  drawDocument(
      documentTitle,
      [&](cairo_t* cairo) {
        PdfDocument document(cairo, footer, pages);
        content(document);
        document.drawFooter();
        cairo_show_page(cairo);
      },
      bytes);
  return bytes;
}

PdfDocument::PdfDocument(cairo_t* cairo, std::string footer, int pageCount)
    : cairo_(cairo), footer_(std::move(footer)), pageCount_(pageCount), y_(kMargin) {}

double PdfDocument::drawText(std::string_view text, const PdfTextStyle& style, double x,
                             double width, bool measureOnly) {
  Layout layout = newLayout(cairo_);
  const FontDescription font(pango_font_description_from_string(style.font),
                             pango_font_description_free);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  if (style.maxLines > 0) {
    pango_layout_set_height(layout.get(), -style.maxLines);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  }
  // Plain text, never markup: what a laptop sent cannot style or hide anything.
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  int inkWidth = 0;
  int height = 0;
  pango_layout_get_size(layout.get(), &inkWidth, &height);
  if (!measureOnly) {
    setColour(cairo_, style.colour);
    cairo_move_to(cairo_, x, y_);
    pango_cairo_show_layout(cairo_, layout.get());
  }
  return static_cast<double>(height) / PANGO_SCALE;
}

void PdfDocument::title(std::string_view text) {
  const double height = drawText(text, kTitle, kMargin, kContentWidth, true);
  ensureRoom(height);
  y_ += drawText(text, kTitle, kMargin, kContentWidth) + 8;
}

void PdfDocument::heading(std::string_view text) {
  const double height = drawText(text, kHeading, kMargin, kContentWidth, true);
  // A heading never ends a page: keep room for a line or two after it.
  ensureRoom(height + 40);
  y_ += 10;
  y_ += drawText(text, kHeading, kMargin, kContentWidth) + 4;
}

void PdfDocument::paragraph(std::string_view text) {
  ensureRoom(drawText(text, kBody, kMargin, kContentWidth, true));
  y_ += drawText(text, kBody, kMargin, kContentWidth) + 4;
}

void PdfDocument::note(std::string_view text) {
  ensureRoom(drawText(text, kNote, kMargin, kContentWidth, true));
  y_ += drawText(text, kNote, kMargin, kContentWidth) + 4;
}

double PdfDocument::tableRowHeight(const std::vector<std::string>& cells, const PdfTextStyle& style,
                                   const std::vector<double>& widths) {
  double height = 0;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string_view text = i < cells.size() ? std::string_view(cells[i]) : "";
    height = std::max(height, drawText(text, style, 0, widths[i] - 2 * kCellPadding, true));
  }
  return height + 2 * kCellPadding;
}

void PdfDocument::drawTableRow(const std::vector<std::string>& cells, const PdfTextStyle& style,
                               const std::vector<double>& widths, double height, bool shaded) {
  double x = kMargin;
  if (shaded) {
    setColour(cairo_, &style == &kHeadingCell ? kHeadingFill : kShade);
    cairo_rectangle(cairo_, kMargin, y_, kContentWidth, height);
    cairo_fill(cairo_);
  }
  const double top = y_;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    y_ = top + kCellPadding;
    const std::string_view text = i < cells.size() ? std::string_view(cells[i]) : "";
    drawText(text, style, x + kCellPadding, widths[i] - 2 * kCellPadding);
    x += widths[i];
  }
  y_ = top + height;
  setColour(cairo_, kRule);
  cairo_set_line_width(cairo_, 0.5);
  cairo_move_to(cairo_, kMargin, y_);
  cairo_line_to(cairo_, kMargin + kContentWidth, y_);
  cairo_stroke(cairo_);
}

void PdfDocument::table(const PdfTable& table) {
  const double totalWeight =
      std::accumulate(table.columns.begin(), table.columns.end(), 0.0,
                      [](double sum, const PdfColumn& column) { return sum + column.weight; });
  std::vector<double> widths;
  std::vector<std::string> headings;
  for (const auto& column : table.columns) {
    widths.push_back(kContentWidth * column.weight / totalWeight);
    headings.push_back(column.heading);
  }
  // A table of label and value rows has no headings to repeat.
  const bool hasHeadings = std::any_of(headings.begin(), headings.end(),
                                       [](const std::string& text) { return !text.empty(); });
  const double headingHeight = hasHeadings ? tableRowHeight(headings, kHeadingCell, widths) : 0;
  bool headingDrawn = !hasHeadings;
  bool shaded = false;
  for (const auto& row : table.rows) {
    const double height = tableRowHeight(row, kCell, widths);
    if (y_ + height > kBottom) {
      newPage();
      headingDrawn = !hasHeadings;
    }
    if (!headingDrawn) {
      ensureRoom(headingHeight + height);
      drawTableRow(headings, kHeadingCell, widths, headingHeight, true);
      headingDrawn = true;
      shaded = false;
    }
    drawTableRow(row, kCell, widths, height, shaded);
    shaded = !shaded;
  }
  y_ += 6;
}

void PdfDocument::ensureRoom(double height) {
  if (y_ + height > kBottom && y_ > kMargin) newPage();
}

void PdfDocument::newPage() {
  drawFooter();
  cairo_show_page(cairo_);
  ++page_;
  y_ = kMargin;
}

void PdfDocument::drawFooter() {
  if (pageCount_ == 0) return;  // counting pages: nothing is kept
  const double savedY = y_;
  y_ = kPageHeight - kMargin - kFooterHeight + 8;
  setColour(cairo_, kRule);
  cairo_set_line_width(cairo_, 0.5);
  cairo_move_to(cairo_, kMargin, y_ - 4);
  cairo_line_to(cairo_, kMargin + kContentWidth, y_ - 4);
  cairo_stroke(cairo_);
  const std::string pageText =
      "Page " + std::to_string(page_) + " of " + std::to_string(pageCount_);
  drawText(footer_, kFooter, kMargin, kContentWidth * 0.75);
  Layout layout = newLayout(cairo_);
  const FontDescription font(pango_font_description_from_string(kFooter.font),
                             pango_font_description_free);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_width(layout.get(), static_cast<int>(kContentWidth * 0.25 * PANGO_SCALE));
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
  pango_layout_set_text(layout.get(), pageText.c_str(), -1);
  cairo_move_to(cairo_, kMargin + kContentWidth * 0.75, y_);
  pango_cairo_show_layout(cairo_, layout.get());
  y_ = savedY;
}

}  // namespace clubsafe::collector
