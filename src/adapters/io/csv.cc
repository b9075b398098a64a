#include "adapters/io/csv.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace arbor {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Result<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::NotFound("cannot open '" + path + "': " + std::strerror(errno));
  }
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, n);
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::Internal("cannot read '" + path + "'");
  return text;
}

// True when `p` ends a line: LF, or CR followed by LF or by the end of the input. A lone CR
// inside an unquoted field is data, as RFC 4180 allows no other meaning for it.
inline bool AtLineEnd(const char* p, const char* end) {
  return *p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'));
}

// Steps over the line end at `p` (see AtLineEnd).
inline const char* SkipLineEnd(const char* p, const char* end) {
  if (*p == '\r') ++p;
  if (p < end && *p == '\n') ++p;
  return p;
}

}  // namespace

std::string_view CsvRow::operator[](size_t index) const {
  size_t begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(text_).substr(begin, ends_[index] - begin);
}

std::string_view CsvRow::Get(std::string_view column) const {
  if (schema_ == nullptr) return {};
  const std::vector<std::string>& columns = schema_->columns;
  for (size_t i = 0; i < columns.size() && i < ends_.size(); ++i) {
    if (columns[i] == column) return (*this)[i];
  }
  return {};
}

bool CsvRow::HasColumn(std::string_view column) const {
  if (schema_ == nullptr) return false;
  for (const std::string& c : schema_->columns) {
    if (c == column) return true;
  }
  return false;
}

const std::string& CsvRow::source() const {
  static const std::string kNoSource = "<csv>";
  return schema_ == nullptr ? kNoSource : schema_->source;
}

CsvReader::CsvReader(std::string text, std::string source, CsvOptions options)
    : text_(std::move(text)), options_(options), schema_(std::make_shared<CsvSchema>()) {
  schema_->source = std::move(source);
  if (std::string_view(text_).starts_with(kUtf8Bom)) pos_ = kUtf8Bom.size();
}

Result<CsvReader> CsvReader::Open(const std::string& path, CsvOptions options) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return FromString(std::move(text).value(), path, options);
}

Result<CsvReader> CsvReader::FromString(std::string text, std::string source, CsvOptions options) {
  CsvReader reader(std::move(text), std::move(source), options);
  if (options.has_header) {
    Status header = reader.ReadHeader();
    if (!header.ok()) return header;
  }
  return reader;
}

Status CsvReader::ReadHeader() {
  if (!SkipBlankLines()) {
    return Status::InvalidArgument(source() + ": empty file, expected a header row");
  }
  CsvRow header;
  ARBOR_RETURN_IF_ERROR(ParseRecord(&header));
  for (size_t i = 0; i < header.size(); ++i) schema_->columns.emplace_back(header[i]);
  expected_fields_ = schema_->columns.size();
  return Status::Ok();
}

std::optional<size_t> CsvReader::ColumnIndex(std::string_view name) const {
  const std::vector<std::string>& columns = schema_->columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return std::nullopt;
}

Result<size_t> CsvReader::RequireColumn(std::string_view name) const {
  std::optional<size_t> index = ColumnIndex(name);
  if (!index.has_value()) {
    return Status::InvalidArgument(source() + ": missing column '" + std::string(name) + "'");
  }
  return *index;
}

bool CsvReader::SkipBlankLines() {
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* p = begin + pos_;
  while (p < end && AtLineEnd(p, end)) {
    p = SkipLineEnd(p, end);
    ++line_;
  }
  pos_ = p - begin;
  return p < end;
}

Status CsvReader::ErrorAt(int64_t line, const std::string& what) const {
  return Status::InvalidArgument(source() + ":" + std::to_string(line) + ": " + what);
}

Status CsvReader::ParseRecord(CsvRow* row) {
  if (row->schema_ != schema_) row->schema_ = schema_;
  row->line_ = line_;
  row->text_.clear();
  row->ends_.clear();
  std::string& out = row->text_;
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* p = begin + pos_;
  while (true) {
    if (p < end && *p == '"') {
      const int64_t field_line = line_;
      ++p;
      while (true) {
        const char* quote = static_cast<const char*>(std::memchr(p, '"', end - p));
        if (quote == nullptr) {
          return ErrorAt(field_line, "field " + std::to_string(row->ends_.size() + 1) +
                                         ": quoted field is never closed");
        }
        out.append(p, quote);
        for (const char* c = p; c < quote; ++c) line_ += (*c == '\n');
        p = quote + 1;
        if (p < end && *p == '"') {  // a doubled quote is one literal quote
          out.push_back('"');
          ++p;
          continue;
        }
        break;
      }
      if (p < end && *p != ',' && !AtLineEnd(p, end)) {
        return ErrorAt(line_, "field " + std::to_string(row->ends_.size() + 1) +
                                  ": unexpected text after the closing quote");
      }
    } else {
      const char* start = p;
      while (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && AtLineEnd(p, end))) ++p;
      out.append(start, p);
    }
    row->ends_.push_back(out.size());
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end) {
      p = SkipLineEnd(p, end);
      ++line_;
    }
    break;
  }
  pos_ = p - begin;
  return Status::Ok();
}

bool CsvReader::Next(CsvRow* row) {
  if (!status_.ok() || !SkipBlankLines()) return false;
  status_ = ParseRecord(row);
  if (!status_.ok()) return false;
  if (expected_fields_ == 0) expected_fields_ = row->size();
  if (row->size() != expected_fields_) {
    status_ = ErrorAt(row->line(), "expected " + std::to_string(expected_fields_) +
                                       " fields, found " + std::to_string(row->size()));
    return false;
  }
  return true;
}

Status FieldError(const CsvRow& row, std::string_view field, std::string_view what) {
  return Status::InvalidArgument(row.source() + ":" + std::to_string(row.line()) + ": " +
                                 std::string(field) + ": " + std::string(what));
}

Status RowError(const CsvRow& row, std::string_view what) {
  return Status::InvalidArgument(row.source() + ":" + std::to_string(row.line()) + ": " +
                                 std::string(what));
}

std::string CsvWriter::Escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted;
  quoted.reserve(field.size() + 2);
  quoted.push_back('"');
  for (char c : field) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

template <typename Container>
void CsvWriter::WriteFields(const Container& fields) {
  // A lone empty field would be a blank line, which readers skip: write it as "".
  if (fields.size() == 1 && std::string_view(*fields.begin()).empty()) {
    *out_ << "\"\"\n";
    return;
  }
  bool first = true;
  for (const auto& field : fields) {
    if (!first) *out_ << ',';
    first = false;
    *out_ << Escape(field);
  }
  *out_ << '\n';
}

void CsvWriter::WriteRow(std::initializer_list<std::string_view> fields) { WriteFields(fields); }

void CsvWriter::WriteRow(const std::vector<std::string>& fields) { WriteFields(fields); }

}  // namespace arbor
