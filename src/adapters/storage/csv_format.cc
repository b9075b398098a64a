#include "adapters/storage/csv_format.h"

#include <algorithm>

#include "adapters/io/text.h"

namespace arbor {

Result<FormatFile> FormatFile::Open(const std::string& path, const std::vector<Column>& columns) {
  Result<CsvReader> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  FormatFile file(std::move(reader).value());
  const std::vector<std::string>& header = file.reader_.header();
  auto header_error = [&](std::string_view field, const std::string& what) {
    return Status::InvalidArgument(path + ":1: " + std::string(field) + ": " + what);
  };
  std::string expected;
  for (const Column& column : columns)
    expected += (expected.empty() ? "" : ", ") + std::string(column.name);
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string name = Lower(Trim(header[c]));
    const bool known = std::any_of(columns.begin(), columns.end(),
                                   [&](const Column& column) { return column.name == name; });
    if (!known) return header_error(header[c], "unknown column (expected " + expected + ")");
    if (!file.index_.emplace(name, c).second)
      return header_error(name, "the header names this column twice");
  }
  for (const Column& column : columns) {
    if (column.required && !file.index_.contains(std::string(column.name))) {
      return header_error(column.name, "missing required column");
    }
  }
  return file;
}

std::string_view FormatFile::Get(const CsvRow& row, std::string_view column) const {
  auto it = index_.find(std::string(column));
  return it == index_.end() ? std::string_view() : Trim(row[it->second]);
}

Status KnownNames::Check(const CsvRow& row, std::string_view field, std::string_view name) {
  if (name.empty()) return FieldError(row, field, "missing");
  if (known_.contains(std::string(name))) return Status::Ok();
  Result<Statement> select =
      db_->Prepare("SELECT count(*) FROM " + table_ + " WHERE " + column_ + " = ?1");
  if (!select.ok()) return select.status();
  select->Bind(1, name);
  Result<bool> found = select->Step();
  if (!found.ok()) return found.status();
  if (select->ColumnInt(0) == 0) {
    return FieldError(row, field,
                      "unknown " + std::string(field) + " '" + std::string(name) + "'; " + hint_);
  }
  known_.insert(std::string(name));
  return Status::Ok();
}

}  // namespace arbor
