// RFC 4180 CSV reading and writing, with the physical line number of every row so that an
// error in a 1.7-million-row price file points at the line to fix.
//
//   Result<CsvReader> reader = CsvReader::Open("daily/AAPL.csv");
//   if (!reader.ok()) return reader.status();
//   CsvRow row;
//   while (reader->Next(&row)) {
//     Result<Price> close = Price::Parse(row.Get("close"));
//     if (!close.ok()) return FieldError(row, "close", close.status().message());
//   }
//   ARBOR_RETURN_IF_ERROR(reader->status());  // a malformed row stops Next() early
//
// Accepted input: quoted fields with commas, doubled quotes and line breaks; LF or CRLF line
// ends; an optional UTF-8 byte-order mark. Blank lines are skipped (exporters often leave
// one at the end). Every row must have as many fields as the header: a short or long row is
// reported as `path:line: expected N fields, found M` rather than silently padded. A quote
// inside an unquoted field (`5" disk`) is kept as data, as most producers write it that way.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"

namespace arbor {

struct CsvOptions {
  // false: the first row is data, and it fixes the field count for the rest of the file.
  bool has_header = true;
};

// Shared by a reader and the rows it hands out, so that a row can name its file and find
// columns even after the reader has been moved.
struct CsvSchema {
  std::string source;                // file path, or the name given to FromString
  std::vector<std::string> columns;  // empty without a header
};

// One record. Fields are views into the row's own buffer: valid until the next Next() call.
class CsvRow {
 public:
  // 1-based physical line on which the record starts (a quoted line break makes a record
  // span several lines, so this is not the record count).
  int64_t line() const { return line_; }
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t index) const;
  // The field under header column `column` (the first one, if the header repeats a name);
  // empty when there is no such column. Use CsvReader::RequireColumn to check up front.
  std::string_view Get(std::string_view column) const;
  bool HasColumn(std::string_view column) const;
  // The file path (or string name) this row came from.
  const std::string& source() const;

 private:
  friend class CsvReader;
  std::shared_ptr<const CsvSchema> schema_;
  int64_t line_ = 0;
  std::string text_;          // all unescaped fields, back to back
  std::vector<size_t> ends_;  // end offset of field i in text_; it starts at the previous end
};

class CsvReader {
 public:
  // Reads the whole file (price files are at most a few MB, and one read is the fast path)
  // and its header row.
  static Result<CsvReader> Open(const std::string& path, CsvOptions options = {});
  // For tests and for text that is already in memory; `source` names it in errors.
  static Result<CsvReader> FromString(std::string text, std::string source = "<string>",
                                      CsvOptions options = {});

  const std::string& source() const { return schema_->source; }
  const std::vector<std::string>& header() const { return schema_->columns; }
  // Index of the first header column named `name`.
  std::optional<size_t> ColumnIndex(std::string_view name) const;
  // As ColumnIndex, with `path: missing column 'name'` when it is absent.
  Result<size_t> RequireColumn(std::string_view name) const;

  // The next record, or false at the end of the input or at the first error; then status()
  // says which.
  bool Next(CsvRow* row);
  const Status& status() const { return status_; }

 private:
  CsvReader(std::string text, std::string source, CsvOptions options);
  Status ReadHeader();
  // Parses the record starting at pos_ (which is not on a blank line) into `row`.
  Status ParseRecord(CsvRow* row);
  // Moves pos_ past blank lines; false at the end of the input.
  bool SkipBlankLines();
  Status ErrorAt(int64_t line, const std::string& what) const;

  std::string text_;
  size_t pos_ = 0;
  int64_t line_ = 1;  // physical line of text_[pos_]
  CsvOptions options_;
  std::shared_ptr<CsvSchema> schema_;
  size_t expected_fields_ = 0;  // 0: not yet known (headerless input before its first row)
  Status status_;
};

// `path:line: field: what`, e.g. "daily/AAPL.csv:1872: close: 'abc' is not a decimal number".
Status FieldError(const CsvRow& row, std::string_view field, std::string_view what);
// `path:line: what`, for a problem with the row as a whole.
Status RowError(const CsvRow& row, std::string_view what);

// Writes RFC 4180 rows with LF line ends, quoting a field only when it holds a comma, a
// quote or a line break. The caller owns the stream and checks it for I/O errors.
//
//   CsvWriter writer(&out);
//   writer.WriteRow({"symbol", "name"});
//   writer.WriteRow({"BRK.B", "Berkshire Hathaway, Class B"});  // the name gets quoted
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream* out) : out_(out) {}
  void WriteRow(std::initializer_list<std::string_view> fields);
  void WriteRow(const std::vector<std::string>& fields);

  // The field as it appears in the file: unchanged, or quoted with inner quotes doubled.
  static std::string Escape(std::string_view field);

 private:
  template <typename Container>
  void WriteFields(const Container& fields);

  std::ostream* out_;
};

}  // namespace arbor
