#include "adapters/report/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/base/date.h"

namespace arbor::report {
namespace {

constexpr double kA4Width = 595.276, kA4Height = 841.89;
constexpr double kLetterWidth = 612, kLetterHeight = 792;
constexpr double kCellPadding = 4;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.12, 0.14, 0.17};
constexpr Rgb kGrey{0.42, 0.45, 0.5};
constexpr Rgb kRule{0.78, 0.8, 0.83};
constexpr Rgb kHeaderFill{0.9, 0.93, 0.96};
constexpr Rgb kStripeFill{0.965, 0.972, 0.98};
constexpr Rgb kAccent{0.09, 0.29, 0.5};
// Distinguishable in colour and in greyscale print, in order of use.
constexpr std::array<Rgb, 6> kPalette{{{0.09, 0.38, 0.69},
                                       {0.85, 0.45, 0.05},
                                       {0.18, 0.6, 0.3},
                                       {0.7, 0.15, 0.2},
                                       {0.45, 0.3, 0.65},
                                       {0.4, 0.4, 0.4}}};

void SetColor(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

std::string WithThousands(double value) {
  char digits[64];
  std::snprintf(digits, sizeof digits, "%.0f", std::fabs(value));
  std::string plain = digits, out;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && (plain.size() - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  return (value <= -0.5 ? "-" : "") + out;
}

// A round step (1, 2 or 5 times a power of ten) giving about `count` intervals over `span`.
double NiceStep(double span, int count) {
  if (span <= 0) return 1;
  double raw = span / count;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * power) return m * power;
  }
  return 10 * power;
}

struct Tick {
  double x;
  std::string label;
};

std::vector<Tick> XTicks(XAxis axis, double lo, double hi) {
  std::vector<Tick> ticks;
  if (axis == XAxis::kNumber) {
    double step = NiceStep(hi - lo, 6);
    for (double x = std::ceil(lo / step) * step; x <= hi + step * 1e-9; x += step) {
      ticks.push_back({x, WithThousands(x)});
    }
    return ticks;
  }
  int first = axis == XAxis::kYear ? static_cast<int>(std::ceil(lo))
                                   : Date::FromDays(static_cast<int32_t>(std::ceil(lo))).year();
  int last = axis == XAxis::kYear ? static_cast<int>(std::floor(hi))
                                  : Date::FromDays(static_cast<int32_t>(std::floor(hi))).year();
  int every = std::max(1, (last - first) / 10 + 1);
  for (int year = first; year <= last + 1; year += every) {
    double x = year;
    if (axis == XAxis::kDate) {
      Result<Date> jan1 = Date::FromYmd(year, 1, 1);
      if (!jan1.ok()) continue;
      x = jan1->days();
    }
    if (x >= lo - 1e-9 && x <= hi + 1e-9) ticks.push_back({x, std::to_string(year)});
  }
  return ticks;
}

}  // namespace

std::string EscapeMarkup(const std::string& text) {
  gchar* escaped = g_markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
  std::string out = escaped;
  g_free(escaped);
  return out;
}

struct PdfDocument::Cairo {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  ~Cairo() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }
};

struct PdfDocument::Text {
  struct Unref {
    void operator()(PangoLayout* layout) const { g_object_unref(layout); }
  };
  std::unique_ptr<PangoLayout, Unref> layout;
  double width = 0;
  double height = 0;
};

Result<std::unique_ptr<PdfDocument>> PdfDocument::Create(const std::string& path,
                                                         PdfOptions options) {
  bool a4 = options.paper == Paper::kA4;
  std::unique_ptr<PdfDocument> doc(new PdfDocument(path, std::move(options),
                                                   a4 ? kA4Width : kLetterWidth,
                                                   a4 ? kA4Height : kLetterHeight));
  doc->cairo_ = std::make_unique<Cairo>();
  doc->cairo_->surface = cairo_pdf_surface_create(path.c_str(), doc->width_, doc->height_);
  doc->cairo_->cr = cairo_create(doc->cairo_->surface);
  if (cairo_status(doc->cairo_->cr) != CAIRO_STATUS_SUCCESS) {
    return Status::InvalidArgument(path + ": cannot write a PDF: " +
                                   cairo_status_to_string(cairo_status(doc->cairo_->cr)));
  }
  cairo_pdf_surface_set_metadata(doc->cairo_->surface, CAIRO_PDF_METADATA_CREATOR, "Arbor");
  doc->StartPage();
  return doc;
}

PdfDocument::PdfDocument(std::string path, PdfOptions options, double width, double height)
    : path_(std::move(path)), options_(std::move(options)), width_(width), height_(height) {}

PdfDocument::~PdfDocument() = default;

PdfDocument::Text PdfDocument::Layout(const std::string& markup, double size, double width,
                                      bool bold, Align align) const {
  Text text;
  text.layout.reset(pango_cairo_create_layout(cairo_->cr));
  PangoFontDescription* font = pango_font_description_from_string(options_.font.c_str());
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(text.layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(text.layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(text.layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(text.layout.get(),
                             align == Align::kRight ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_markup(text.layout.get(), markup.c_str(), -1);
  int w = 0, h = 0;
  pango_layout_get_size(text.layout.get(), &w, &h);
  text.width = static_cast<double>(w) / PANGO_SCALE;
  text.height = static_cast<double>(h) / PANGO_SCALE;
  return text;
}

void PdfDocument::Draw(const Text& text, double x, double y) {
  cairo_move_to(cairo_->cr, x, y);
  pango_cairo_show_layout(cairo_->cr, text.layout.get());
}

void PdfDocument::StartPage() {
  ++page_;
  cursor_ = options_.margin;
  page_empty_ = true;
}

void PdfDocument::FinishPage() {
  cairo_t* cr = cairo_->cr;
  double size = options_.body_size * 0.8;
  double y = height_ - options_.margin + size;
  SetColor(cr, kRule);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, options_.margin, y - 4);
  cairo_line_to(cr, width_ - options_.margin, y - 4);
  cairo_stroke(cr);
  SetColor(cr, kGrey);
  Draw(Layout(options_.footer, size, content_width()), options_.margin, y);
  Draw(Layout("Page " + std::to_string(page_), size, content_width(), false, Align::kRight),
       options_.margin, y);
  cairo_show_page(cr);
}

void PdfDocument::EnsureRoom(double height) {
  if (cursor_ + height > height_ - options_.margin && !page_empty_) {
    FinishPage();
    StartPage();
  }
}

void PdfDocument::NewPage() {
  StartBlock(0);
  if (page_empty_) return;
  FinishPage();
  StartPage();
}

void PdfDocument::Space(double points) {
  if (!page_empty_) cursor_ += points;
}

void PdfDocument::Title(const std::string& title, const std::string& subtitle) {
  cairo_pdf_surface_set_metadata(cairo_->surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  Text big = Layout(title, options_.body_size * 2.2, content_width(), true);
  Text small = Layout(subtitle, options_.body_size * 1.2, content_width());
  StartBlock(big.height + small.height + 24);
  SetColor(cairo_->cr, kAccent);
  Draw(big, options_.margin, cursor_);
  cursor_ += big.height + 4;
  SetColor(cairo_->cr, kGrey);
  Draw(small, options_.margin, cursor_);
  cursor_ += small.height + 8;
  SetColor(cairo_->cr, kAccent);
  cairo_set_line_width(cairo_->cr, 1.5);
  cairo_move_to(cairo_->cr, options_.margin, cursor_);
  cairo_line_to(cairo_->cr, width_ - options_.margin, cursor_);
  cairo_stroke(cairo_->cr);
  cursor_ += 16;
  page_empty_ = false;
}

void PdfDocument::Heading(const std::string& text) {
  StartBlock(0);  // a heading right after another one
  pending_heading_ = text;
}

void PdfDocument::StartBlock(double height) {
  if (pending_heading_.empty()) {
    EnsureRoom(height);
    return;
  }
  Text heading = Layout(pending_heading_, options_.body_size * 1.4, content_width(), true);
  pending_heading_.clear();
  EnsureRoom(heading.height + 14 + height);
  Space(8);
  SetColor(cairo_->cr, kAccent);
  Draw(heading, options_.margin, cursor_);
  cursor_ += heading.height + 6;
  page_empty_ = false;
}

void PdfDocument::Paragraph(const std::string& markup) {
  Text text = Layout(markup, options_.body_size, content_width());
  StartBlock(text.height);
  SetColor(cairo_->cr, kInk);
  Draw(text, options_.margin, cursor_);
  cursor_ += text.height + options_.body_size * 0.6;
  page_empty_ = false;
}

void PdfDocument::Note(const std::string& markup) {
  Text text = Layout(markup, options_.body_size * 0.85, content_width());
  StartBlock(text.height);
  SetColor(cairo_->cr, kGrey);
  Draw(text, options_.margin, cursor_);
  cursor_ += text.height + options_.body_size * 0.5;
  page_empty_ = false;
}

void PdfDocument::TableHeader(const report::Table& table, const std::vector<double>& widths,
                              double row_height) {
  cairo_t* cr = cairo_->cr;
  SetColor(cr, kHeaderFill);
  cairo_rectangle(cr, options_.margin, cursor_, content_width(), row_height);
  cairo_fill(cr);
  double x = options_.margin;
  SetColor(cr, kInk);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const TableColumn& column = table.columns[c];
    Draw(Layout(column.title, options_.body_size * 0.9, widths[c] - 2 * kCellPadding, true,
                column.align),
         x + kCellPadding, cursor_ + kCellPadding);
    x += widths[c];
  }
  cursor_ += row_height;
  page_empty_ = false;
}

void PdfDocument::Table(const report::Table& table) {
  cairo_t* cr = cairo_->cr;
  double total_weight = 0;
  for (const TableColumn& column : table.columns) total_weight += column.weight;
  std::vector<double> widths;
  for (const TableColumn& column : table.columns) {
    widths.push_back(content_width() * column.weight / std::max(total_weight, 1e-9));
  }
  double header_height = 0;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    header_height = std::max(header_height, Layout(table.columns[c].title, options_.body_size * 0.9,
                                                   widths[c] - 2 * kCellPadding, true)
                                                    .height);
  }
  header_height += 2 * kCellPadding;
  std::vector<std::vector<Text>> cells(table.rows.size());
  std::vector<double> heights(table.rows.size());
  double total_height = header_height;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    bool emphasized = std::find(table.emphasized_rows.begin(), table.emphasized_rows.end(), r) !=
                      table.emphasized_rows.end();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const std::string& cell = c < table.rows[r].size() ? table.rows[r][c] : std::string();
      cells[r].push_back(Layout(cell, options_.body_size * 0.9, widths[c] - 2 * kCellPadding,
                                emphasized, table.columns[c].align));
      heights[r] = std::max(heights[r], cells[r].back().height + 2 * kCellPadding);
    }
    total_height += heights[r];
  }
  // A table that fits on a page is not split; a longer one needs room for a few rows.
  bool fits_a_page = total_height <= height_ - 2 * options_.margin;
  StartBlock(fits_a_page ? total_height : header_height * 3);
  TableHeader(table, widths, header_height);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    int page_before = page_;
    EnsureRoom(heights[r]);
    if (page_ != page_before) TableHeader(table, widths, header_height);
    if (r % 2 == 1) {
      SetColor(cr, kStripeFill);
      cairo_rectangle(cr, options_.margin, cursor_, content_width(), heights[r]);
      cairo_fill(cr);
    }
    if (std::find(table.emphasized_rows.begin(), table.emphasized_rows.end(), r) !=
        table.emphasized_rows.end()) {
      SetColor(cr, kInk);
      cairo_set_line_width(cr, 0.8);
      cairo_move_to(cr, options_.margin, cursor_);
      cairo_line_to(cr, width_ - options_.margin, cursor_);
      cairo_stroke(cr);
    }
    SetColor(cr, kInk);
    double x = options_.margin;
    for (size_t c = 0; c < cells[r].size(); ++c) {
      Draw(cells[r][c], x + kCellPadding, cursor_ + kCellPadding);
      x += widths[c];
    }
    cursor_ += heights[r];
  }
  SetColor(cr, kRule);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, options_.margin, cursor_);
  cairo_line_to(cr, width_ - options_.margin, cursor_);
  cairo_stroke(cr);
  cursor_ += options_.body_size;
}

void PdfDocument::Chart(const LineChart& chart) {
  cairo_t* cr = cairo_->cr;
  StartBlock(chart.height);
  page_empty_ = false;
  double size = options_.body_size * 0.8;
  double top = cursor_;
  SetColor(cr, kInk);
  Text title = Layout(chart.title, options_.body_size, content_width(), true);
  Draw(title, options_.margin, top);
  double y_label_room = chart.y_label.empty() ? 0 : size * 1.6;

  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = 0, y_hi = 0;
  for (const LineSeries& series : chart.series) {
    for (const auto& [x, y] : series.points) {
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  }
  if (!(x_lo < x_hi)) {  // no points, or one x: widen so the axes still draw
    x_lo = std::isfinite(x_lo) ? x_lo - 1 : 0;
    x_hi = x_lo + 2;
  }
  double step = NiceStep(y_hi - y_lo, 5);
  if (y_hi == y_lo) y_hi = y_lo + step;
  y_lo = std::floor(y_lo / step) * step;
  y_hi = std::ceil(y_hi / step) * step;
  auto y_format = chart.y_format ? chart.y_format : WithThousands;

  double tick_label_width = 0;
  for (double y = y_lo; y <= y_hi + step * 1e-9; y += step) {
    tick_label_width = std::max(tick_label_width, Layout(y_format(y), size, 200).width);
  }
  double legend_height = size * 2.2;
  double left = options_.margin + y_label_room + tick_label_width + 6;
  double right = width_ - options_.margin - 8;
  double plot_top = top + title.height + 10;
  double plot_bottom = top + chart.height - legend_height - size * 2;
  auto px = [&](double x) { return left + (x - x_lo) / (x_hi - x_lo) * (right - left); };
  auto py = [&](double y) { return plot_bottom - (y - y_lo) / (y_hi - y_lo) * (plot_bottom - plot_top); };

  cairo_set_line_width(cr, 0.4);
  for (double y = y_lo; y <= y_hi + step * 1e-9; y += step) {
    SetColor(cr, std::fabs(y) < step * 1e-9 ? kGrey : kRule);
    cairo_move_to(cr, left, py(y));
    cairo_line_to(cr, right, py(y));
    cairo_stroke(cr);
    Text label = Layout(y_format(y), size, tick_label_width, false, Align::kRight);
    SetColor(cr, kGrey);
    Draw(label, left - 6 - tick_label_width, py(y) - label.height / 2);
  }
  for (const Tick& tick : XTicks(chart.x_axis, x_lo, x_hi)) {
    SetColor(cr, kRule);
    cairo_move_to(cr, px(tick.x), plot_bottom);
    cairo_line_to(cr, px(tick.x), plot_bottom + 3);
    cairo_stroke(cr);
    Text label = Layout(tick.label, size, 80);
    SetColor(cr, kGrey);
    Draw(label, px(tick.x) - label.width / 2, plot_bottom + 4);
  }
  if (!chart.y_label.empty()) {
    Text label = Layout(chart.y_label, size, plot_bottom - plot_top);
    cairo_save(cr);
    cairo_move_to(cr, options_.margin, (plot_top + plot_bottom) / 2 + label.width / 2);
    cairo_rotate(cr, -M_PI / 2);
    pango_cairo_update_layout(cr, label.layout.get());
    pango_cairo_show_layout(cr, label.layout.get());
    cairo_restore(cr);
  }
  SetColor(cr, kGrey);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, left, plot_top);
  cairo_line_to(cr, left, plot_bottom);
  cairo_line_to(cr, right, plot_bottom);
  cairo_stroke(cr);

  double legend_x = left;
  double legend_y = plot_bottom + size * 2.4;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const LineSeries& series = chart.series[s];
    Rgb color = kPalette[s % kPalette.size()];
    SetColor(cr, color);
    cairo_set_line_width(cr, 1.8);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < series.points.size(); ++i) {
      double x = px(series.points[i].first), y = py(series.points[i].second);
      if (i == 0) cairo_move_to(cr, x, y);
      else cairo_line_to(cr, x, y);
    }
    if (series.points.size() == 1) cairo_arc(cr, px(series.points[0].first),
                                              py(series.points[0].second), 2, 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_move_to(cr, legend_x, legend_y + size * 0.6);
    cairo_line_to(cr, legend_x + 18, legend_y + size * 0.6);
    cairo_stroke(cr);
    Text name = Layout(series.name, size, 250);
    SetColor(cr, kInk);
    Draw(name, legend_x + 22, legend_y);
    legend_x += 22 + name.width + 16;
  }
  cursor_ = top + chart.height + options_.body_size;
}

Status PdfDocument::Finish() {
  if (finished_) return Status::FailedPrecondition(path_ + ": the PDF is already finished");
  finished_ = true;
  StartBlock(0);
  FinishPage();
  cairo_surface_finish(cairo_->surface);
  cairo_status_t status = cairo_surface_status(cairo_->surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(path_ + ": writing the PDF failed: " + cairo_status_to_string(status));
  }
  return Status::Ok();
}

}  // namespace arbor::report
