// Reading a CSV import format: the header matched against the format's columns, and names
// that must already be in the database. Shared by the storage layer's CSV imports.
//
//   Result<FormatFile> file = FormatFile::Open(path, {{"account", true}, {"amount", true}});
//   KnownNames accounts(db, "accounts", "id", "import it with `arbor import accounts`");
//   CsvRow row;
//   while (file->Next(&row)) {
//     ARBOR_RETURN_IF_ERROR(accounts.Check(row, "account", file->Get(row, "account")));
//   }
//   ARBOR_RETURN_IF_ERROR(file->status());
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/io/csv.h"
#include "adapters/storage/sqlite.h"
#include "core/base/status.h"

namespace arbor {

struct Column {
  std::string_view name;
  bool required = false;
};

// One CSV file whose header is matched against a format's columns: case-insensitive, spaces
// ignored, an unknown or repeated column and a missing required one are errors.
class FormatFile {
 public:
  static Result<FormatFile> Open(const std::string& path, const std::vector<Column>& columns);

  bool Next(CsvRow* row) { return reader_.Next(row); }
  const Status& status() const { return reader_.status(); }
  bool Has(std::string_view column) const { return index_.contains(std::string(column)); }
  // The trimmed field, or "" when the file has no such column.
  std::string_view Get(const CsvRow& row, std::string_view column) const;

 private:
  explicit FormatFile(CsvReader reader) : reader_(std::move(reader)) {}
  CsvReader reader_;
  std::map<std::string, size_t> index_;
};

// Names that must already be in the database, checked once each.
class KnownNames {
 public:
  KnownNames(Database* db, std::string table, std::string column, std::string hint)
      : db_(db), table_(std::move(table)), column_(std::move(column)), hint_(std::move(hint)) {}

  Status Check(const CsvRow& row, std::string_view field, std::string_view name);

 private:
  Database* db_;
  std::string table_, column_, hint_;
  std::set<std::string> known_;
};

}  // namespace arbor
