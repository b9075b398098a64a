// A small writer of client-ready PDF reports (Cairo + PangoCairo): a title, headings,
// paragraphs, tables and line charts flowed down A4 or Letter pages, a new page started
// whenever the next block does not fit (a heading stays with its block; a table that fits on a
// page is not split, a longer one repeats its header on each page it spans), and
// a footer with the page number on every page.
//
//   Result<std::unique_ptr<PdfDocument>> pdf =
//       PdfDocument::Create("/tmp/report.pdf", {.paper = Paper::kLetter,
//                                               .footer = "Arbor - Taxes Saved or Deferred"});
//   if (!pdf.ok()) return pdf.status();
//   PdfDocument& doc = **pdf;
//   doc.Title("Taxes Saved or Deferred", "SMITH-JOINT, 2014-01-01 to 2020-12-31");
//   doc.Heading("Summary");
//   doc.Paragraph("Tax management saved or deferred <b>$12,345</b> over the period.");  // markup
//   doc.Table({.columns = {{"Year"}, {"Saved", Align::kRight}},
//              .rows = {{"2014", "1,234"}, {"2015", "-56"}}});
//   doc.Chart({.title = "Cumulative", .x_axis = XAxis::kYear,
//              .series = {{"Saved", {{2014, 1234}, {2015, 1178}}}}});
//   doc.NewPage();
//   Status done = doc.Finish();   // writes the file; the page count is doc.page_count()
//
// Text is Pango markup (<b>, <i>, <span>): escape user data with EscapeMarkup. Units are PDF
// points (1/72 inch). Every call before Finish succeeds or records the first Cairo error, which
// Finish returns with the file name.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/status.h"

namespace arbor::report {

enum class Paper { kA4, kLetter };
enum class Align { kLeft, kRight };

struct PdfOptions {
  Paper paper = Paper::kLetter;
  double margin = 54;        // points on every side (3/4 inch)
  std::string font = "DejaVu Sans";
  double body_size = 10;     // points; headings and the title scale from it
  std::string footer;        // left of the page number on every page (markup)
};

struct TableColumn {
  std::string title;
  Align align = Align::kLeft;  // numbers: kRight
  double weight = 1;           // share of the table width, relative to the other columns
};

struct Table {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // cells as text (markup), one per column
  // Rows drawn in bold with a rule above, e.g. a total.
  std::vector<size_t> emphasized_rows;
};

// Horizontal axis: plain numbers, calendar years (ticks on whole years), or dates given as
// days since 1970-01-01 (core Date::days(); ticks on January 1sts).
enum class XAxis { kNumber, kYear, kDate };

struct LineSeries {
  std::string name;                               // in the legend
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

struct LineChart {
  std::string title;
  std::string y_label;  // e.g. "US dollars"
  XAxis x_axis = XAxis::kNumber;
  std::vector<LineSeries> series;  // colours assigned in order from a fixed palette
  double height = 240;             // points, the whole block
  // Tick labels of the vertical axis; default: thousands separators, no decimals.
  std::function<std::string(double)> y_format;
};

// The text with Pango markup's special characters (& < > ' ") escaped.
std::string EscapeMarkup(const std::string& text);

class PdfDocument {
 public:
  static Result<std::unique_ptr<PdfDocument>> Create(const std::string& path,
                                                     PdfOptions options = {});
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // Blocks, flowed down the page. A heading is drawn with the block that follows it.
  // A large title with an optional subtitle under it.
  void Title(const std::string& title, const std::string& subtitle = "");
  void Heading(const std::string& text);
  void Paragraph(const std::string& markup);
  // Smaller grey text, e.g. notes under a table.
  void Note(const std::string& markup);
  void Table(const report::Table& table);
  void Chart(const LineChart& chart);
  void Space(double points);
  // Starts a new page unless the current one is still empty.
  void NewPage();

  // Closes the document and writes the file. Nothing may be added afterwards.
  Status Finish();
  int page_count() const { return page_; }
  double content_width() const { return width_ - 2 * options_.margin; }

 private:
  PdfDocument(std::string path, PdfOptions options, double width, double height);

  struct Text;
  // Lays out markup at the given size and width; the caller draws or measures it.
  Text Layout(const std::string& markup, double size, double width, bool bold = false,
              Align align = Align::kLeft) const;
  void Draw(const Text& text, double x, double y);
  // Starts a new page when `height` more points do not fit below the cursor.
  void EnsureRoom(double height);
  // Before each block: draws the pending heading, kept on one page with the block's first
  // `height` points.
  void StartBlock(double height);
  void StartPage();
  void FinishPage();
  void TableHeader(const report::Table& table, const std::vector<double>& widths, double row_height);

  std::string path_;
  PdfOptions options_;
  double width_;
  double height_;
  struct Cairo;
  std::unique_ptr<Cairo> cairo_;
  int page_ = 0;
  double cursor_ = 0;       // y of the next block
  bool page_empty_ = true;  // nothing drawn below the top margin yet
  std::string pending_heading_;  // drawn with the next block
  bool finished_ = false;
};

}  // namespace arbor::report
